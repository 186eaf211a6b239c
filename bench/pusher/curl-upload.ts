import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The baseline: what `curl` does for one blob, POST to open a session, then PUT --data-binary @file. */
export async function curlUpload(
  registryUrl: string,
  repository: string,
  file: string,
  digest: string,
): Promise<void> {
  const opened = await run('curl', [
    '-sS',
    '-X',
    'POST',
    '-D',
    '-',
    '-o',
    '/dev/null',
    `${registryUrl}/v2/${repository}/blobs/uploads/`,
  ]);
  const location = /^location:\s*(\S+)/im.exec(opened.stdout)?.[1];
  if (!location) throw new Error(`curl POST: no Location in ${opened.stdout}`);
  const url = new URL(location, registryUrl);
  url.searchParams.set('digest', digest);
  const put = await run('curl', [
    '-sS',
    '-o',
    '/dev/null',
    '-w',
    '%{http_code}',
    '-X',
    'PUT',
    '-H',
    'Content-Type: application/octet-stream',
    '--data-binary',
    `@${file}`,
    url.href,
  ]);
  if (put.stdout !== '201') throw new Error(`curl PUT ${digest}: HTTP ${put.stdout}`);
}
