import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistry } from '@gitops/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { pushLayout } from './push-layout.js';
import { RegistryClient } from './registry-client.js';
import { writeRandomImage } from './test/images.js';
import { startProxy } from './test/proxy.js';

const dir = await mkdtemp(join(tmpdir(), 'oci-tags-'));
const registry = await startRegistry();
afterAll(async () => {
  await registry.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('listing a repository’s tags', () => {
  it('lists every tag the registry holds for the repository', async () => {
    const image = await writeRandomImage(join(dir, randomUUID()), [100]);
    const client = new RegistryClient({ url: registry.url });
    const repository = `acme/${randomUUID()}`;
    await pushLayout(client, repository, image.layout, image.root, {
      tags: ['main-0123456-1', 'v1', 'latest'],
    });
    expect((await client.listTags(repository)).sort()).toEqual(['latest', 'main-0123456-1', 'v1']);
    client.close();
  });

  it('answers no tags for a repository the registry does not know', async () => {
    const client = new RegistryClient({ url: registry.url });
    expect(await client.listTags(`acme/${randomUUID()}`)).toEqual([]);
    client.close();
  });

  it('follows Link rel="next" through the pages of a registry that paginates', async () => {
    const pages: Record<string, { tags: string[]; next?: string }> = {
      '/v2/acme/paged/tags/list': { tags: ['a', 'b'], next: '/v2/acme/paged/tags/list?last=b&n=2' },
      '/v2/acme/paged/tags/list?last=b&n=2': {
        tags: ['c', 'd'],
        next: '/v2/acme/paged/tags/list?last=d&n=2',
      },
      '/v2/acme/paged/tags/list?last=d&n=2': { tags: ['e'] },
    };
    const asked: string[] = [];
    const proxy = await startProxy(registry.url, (req, res) => {
      const page = pages[req.url ?? ''];
      if (!page) return false;
      asked.push(req.url ?? '');
      const link = page.next ? { link: `<${page.next}>; rel="next"` } : {};
      res.writeHead(200, { 'content-type': 'application/json', ...link });
      res.end(JSON.stringify({ name: 'acme/paged', tags: page.tags }));
      return true;
    });
    const client = new RegistryClient({ url: proxy.url });
    expect(await client.listTags('acme/paged')).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(asked).toEqual(Object.keys(pages));
    client.close();
    await proxy.close();
  });

  it('refuses a next page on another host, which would get this registry’s credentials', async () => {
    const proxy = await startProxy(registry.url, (_req, res) => {
      res.writeHead(200, { link: '<https://elsewhere.example/v2/acme/x/tags/list?last=a>; rel="next"' });
      res.end(JSON.stringify({ name: 'acme/x', tags: ['a'] }));
      return true;
    });
    const client = new RegistryClient({ url: proxy.url });
    await expect(client.listTags('acme/x')).rejects.toMatchObject({
      code: 'GITOPS_REGISTRY_PROTOCOL',
      message: expect.stringContaining('next page on another host: https://elsewhere.example'),
    });
    client.close();
    await proxy.close();
  });
});
