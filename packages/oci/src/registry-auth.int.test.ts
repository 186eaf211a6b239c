import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistry } from '@gitops/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { pushLayout } from './push-layout.js';
import { RegistryClient } from './registry-client.js';
import { registryFor } from './registry-for.js';
import { writeRandomImage } from './test/images.js';
import { startProxy } from './test/proxy.js';
import { makeTestCertificates } from './test/tls.js';
import { startTokenAuthDouble } from './test/token-server.js';

const dir = await mkdtemp(join(tmpdir(), 'oci-auth-'));
afterAll(() => rm(dir, { recursive: true, force: true }));
const image = await writeRandomImage(join(dir, 'image'), [10_000, 20_000]);

/** Refused credentials give GITOPS_REGISTRY_UNAUTHORIZED with a message naming the repository. */
async function expectUnauthorized(
  url: string,
  credentials: { username: string; password: string },
  repository: string,
) {
  const client = new RegistryClient({ url, credentials });
  await expect(client.hasBlob(repository, image.config.digest)).rejects.toMatchObject({
    code: 'GITOPS_REGISTRY_UNAUTHORIZED',
    message: expect.stringContaining(repository),
  });
}

describe('Basic authentication against a registry with htpasswd', async () => {
  const htpasswd = join(dir, 'htpasswd');
  // bcrypt of "s3cret" at cost 4, as in @gitops/testing's own registry test.
  await writeFile(htpasswd, 'ci:$2b$04$Iy8NRqfAnr0vYEPgiY5oouRgdf4rbh1mC2p.Yqa8ESMrRMqqXoj3C\n');
  const registry = await startRegistry({ htpasswd });
  afterAll(() => registry.dispose());

  it('pushes and pulls with REGISTRY_USERNAME/REGISTRY_PASSWORD for REGISTRY_URL’s host', async () => {
    const env = { REGISTRY_URL: registry.url, REGISTRY_USERNAME: 'ci', REGISTRY_PASSWORD: 's3cret' };
    const { client, repository } = registryFor(`${registry.host}/acme/private`, env);
    const pushed = await pushLayout(client, repository, image.layout, image.root, { tags: ['v1'] });
    expect((await client.getManifest(repository, 'v1')).digest).toBe(pushed.digest);
  });

  it('fails with GITOPS_REGISTRY_UNAUTHORIZED naming the repository for a wrong password', async () => {
    await expectUnauthorized(registry.url, { username: 'ci', password: 'nope' }, 'acme/private');
  });
});

describe('the Bearer token flow', async () => {
  const registry = await startRegistry();
  const double = await startTokenAuthDouble(registry.url, 'robot', 'token-pass');
  afterAll(async () => {
    await double.close();
    await registry.dispose();
  });

  it('gets tokens from the challenge’s realm for the scopes it needs, and reuses them', async () => {
    const client = new RegistryClient({
      url: double.url,
      credentials: { username: 'robot', password: 'token-pass' },
    });
    const repository = `acme/${randomUUID()}`;
    await pushLayout(client, repository, image.layout, image.root, { tags: ['v1'] });
    await pushLayout(client, repository, image.layout, image.root, { tags: ['v1'] });
    expect((await client.getManifest(repository, 'v1')).digest).toBe(image.root.digest);
    // One token for pulling (HEADs, GET) and one for pushing, however many requests each served.
    expect(double.tokenRequests).toEqual([
      [`repository:${repository}:pull`],
      [`repository:${repository}:pull,push`],
    ]);
  });

  it('asks for pull on the source repository when mounting from it', async () => {
    const client = new RegistryClient({
      url: double.url,
      credentials: { username: 'robot', password: 'token-pass' },
    });
    const base = `acme/${randomUUID()}`;
    await pushLayout(client, base, image.layout, image.root);
    const target = `acme/${randomUUID()}`;
    const pushed = await pushLayout(client, target, image.layout, image.root, { mountFrom: [base] });
    expect(pushed.blobs.every((b) => b.outcome === 'mounted')).toBe(true);
    expect(double.tokenRequests).toContainEqual([
      `repository:${target}:pull,push`,
      `repository:${base}:pull`,
    ]);
  });

  it('fails with GITOPS_REGISTRY_UNAUTHORIZED when the token server refuses the credentials', async () => {
    await expectUnauthorized(double.url, { username: 'robot', password: 'wrong' }, 'acme/app');
  });
});

describe('TLS with a custom CA', async () => {
  const registry = await startRegistry();
  const certs = makeTestCertificates(dir);
  const https = await startProxy(registry.url, () => false, certs);
  afterAll(async () => {
    await https.close();
    await registry.dispose();
  });

  it('trusts an HTTPS registry whose CA is in REGISTRY_CA_FILE', async () => {
    const { client, repository } = registryFor(`${https.host}/acme/tls`, {
      REGISTRY_URL: https.url,
      REGISTRY_CA_FILE: certs.caFile,
    });
    const pushed = await pushLayout(client, repository, image.layout, image.root, { tags: ['v1'] });
    expect((await client.getManifest(repository, 'v1')).digest).toBe(pushed.digest);
  });

  it('refuses the same registry without the CA', async () => {
    const client = new RegistryClient({ url: https.url, retry: { attempts: 1 } });
    await expect(client.hasBlob('acme/tls', image.config.digest)).rejects.toThrow(/certificate/);
  });
});
