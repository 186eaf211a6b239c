import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startRegistry } from './registry.js';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const sha256 = (data: Buffer | string) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** POST opens an upload session; PUT with ?digest= closes it with the whole blob. */
async function uploadBlob(base: string, repo: string, data: Buffer, headers: Record<string, string> = {}) {
  const digest = sha256(data);
  const opened = await fetch(`${base}/v2/${repo}/blobs/uploads/`, { method: 'POST', headers });
  expect(opened.status).toBe(202);
  const location = new URL(opened.headers.get('location') ?? '', base);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, {
    method: 'PUT',
    headers: { ...headers, 'content-type': 'application/octet-stream' },
    body: data,
  });
  expect(put.status).toBe(201);
  return { digest, size: data.length };
}

describe('startRegistry', async () => {
  const registry = await startRegistry();
  afterAll(() => registry.dispose());

  it('answers GET /v2/ with 200 on its loopback host', async () => {
    expect(registry.host).toBe(`127.0.0.1:${registry.port}`);
    expect((await fetch(`${registry.url}/v2/`)).status).toBe(200);
  });

  it('accepts a blob upload as POST then PUT and serves the blob back', async () => {
    const repo = `test/${randomUUID()}`;
    const data = Buffer.from(`layer ${randomUUID()}`);
    const { digest } = await uploadBlob(registry.url, repo, data);
    const res = await fetch(`${registry.url}/v2/${repo}/blobs/${digest}`);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(data);
  });

  it('stores an OCI manifest under a tag and serves it to a GET that accepts its media type', async () => {
    const repo = `test/${randomUUID()}`;
    const config = await uploadBlob(registry.url, repo, Buffer.from('{"architecture":"amd64","os":"linux"}'));
    const layer = await uploadBlob(registry.url, repo, Buffer.from(randomUUID()));
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...layer }],
    });
    const put = await fetch(`${registry.url}/v2/${repo}/manifests/v1`, {
      method: 'PUT',
      headers: { 'content-type': OCI_MANIFEST },
      body: manifest,
    });
    expect(put.status).toBe(201);
    expect(put.headers.get('docker-content-digest')).toBe(sha256(manifest));

    const got = await fetch(`${registry.url}/v2/${repo}/manifests/v1`, { headers: { accept: OCI_MANIFEST } });
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe(OCI_MANIFEST);
    expect(await got.text()).toBe(manifest);
  });

  it('keeps stored blobs across a restart on the same port', async () => {
    const repo = `test/${randomUUID()}`;
    const { digest } = await uploadBlob(registry.url, repo, Buffer.from(randomUUID()));
    await registry.restart();
    expect((await fetch(`${registry.url}/v2/${repo}/blobs/${digest}`, { method: 'HEAD' })).status).toBe(200);
  });
});

describe('startRegistry with an htpasswd file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'gitops-htpasswd-'));
  const htpasswd = join(dir, 'htpasswd');
  // bcrypt of "s3cret" at cost 4 (fast to check), made with Python's crypt module.
  await writeFile(htpasswd, 'ci:$2b$04$Iy8NRqfAnr0vYEPgiY5oouRgdf4rbh1mC2p.Yqa8ESMrRMqqXoj3C\n');
  const registry = await startRegistry({ htpasswd });
  afterAll(async () => {
    await registry.dispose();
    await rm(dir, { recursive: true, force: true });
  });
  const basic = (user: string, password: string) =>
    `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

  it('answers 401 with a Basic challenge without credentials or with a wrong password', async () => {
    const anonymous = await fetch(`${registry.url}/v2/`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm="gitops-test"/);
    const wrong = await fetch(`${registry.url}/v2/`, { headers: { authorization: basic('ci', 'nope') } });
    expect(wrong.status).toBe(401);
  });

  it('accepts a blob upload with the right credentials', async () => {
    const headers = { authorization: basic('ci', 's3cret') };
    expect((await fetch(`${registry.url}/v2/`, { headers })).status).toBe(200);
    await uploadBlob(registry.url, `test/${randomUUID()}`, Buffer.from('private'), headers);
  });
});
