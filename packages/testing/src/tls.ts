import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const openssl = (args: string[]) => promisify(execFile)('openssl', args);

/** PEM files: a CA, and a certificate for 127.0.0.1 and localhost that it signed, with its key. */
export interface TestCertificates {
  ca: string;
  cert: string;
  key: string;
}

/** A fresh CA and a server certificate for 127.0.0.1 and localhost (openssl, P-256, valid a day), for servers with TLS. */
export async function testCertificates(): Promise<TestCertificates> {
  const dir = await mkdtemp(join(tmpdir(), 'gitops-tls-'));
  const file = (name: string) => join(dir, name);
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await writeFile(file('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  await openssl(
    ['req', '-x509', ...newKey, '-keyout', file('ca.key'), '-out', file('ca.pem'), '-days', '1'].concat([
      '-subj',
      '/CN=gitops test CA',
    ]),
  );
  await openssl([
    'req',
    ...newKey,
    '-keyout',
    file('key.pem'),
    '-out',
    file('cert.csr'),
    '-subj',
    '/CN=127.0.0.1',
  ]);
  await openssl(
    ['x509', '-req', '-in', file('cert.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key')].concat([
      '-CAcreateserial',
      '-out',
      file('cert.pem'),
      '-days',
      '1',
      '-extfile',
      file('san.ext'),
    ]),
  );
  return { ca: file('ca.pem'), cert: file('cert.pem'), key: file('key.pem') };
}
