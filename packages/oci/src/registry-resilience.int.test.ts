import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, startRegistry } from '@gitops/testing';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { digestFile } from './digest.js';
import { type HttpRequest, HttpTransport } from './http-transport.js';
import { pushLayout } from './push-layout.js';
import { RegistryClient } from './registry-client.js';
import { writeRandomImage } from './test/images.js';
import { startProxy } from './test/proxy.js';

const MiB = 1 << 20;
const fastRetry = { attempts: 8, baseDelayMs: 50, maxDelayMs: 1000 };

const dir = await mkdtemp(join(tmpdir(), 'oci-resilience-'));
const registry = await startRegistry();
afterAll(async () => {
  await registry.dispose();
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** Records every request the client sends (method, URL, headers, whether the body was a stream factory). */
function recordRequests() {
  const sent: { method: string; url: URL; headers: Record<string, string>; streamed: boolean }[] = [];
  const original = HttpTransport.prototype.send;
  const spy = vi.spyOn(HttpTransport.prototype, 'send').mockImplementation(function (
    this: HttpTransport,
    req: HttpRequest,
  ) {
    sent.push({
      method: req.method,
      url: req.url,
      headers: req.headers ?? {},
      streamed: typeof req.body === 'function',
    });
    return original.call(this, req);
  });
  return { sent, spy, original };
}

/**
 * Stops the registry at the first PATCH of an upload, for `outageMs`, and counts the requests that
 * failed meanwhile (`isFailure` picks which). Answers the outage, to await, and the count so far.
 */
function registryOutageAtFirstPatch(
  outageMs: number,
  isFailure: (err: Error & { code?: string }) => boolean,
) {
  const { spy, original } = recordRequests();
  const state = { failed: 0, outage: undefined as Promise<void> | undefined };
  spy.mockImplementation(async function (this: HttpTransport, req: HttpRequest) {
    if (req.method === 'PATCH' && !state.outage) {
      state.outage = registry.stop().then(async () => {
        await sleep(outageMs);
        await registry.restart();
      });
      await sleep(50);
    }
    return original.call(this, req).catch((err: Error & { code?: string }) => {
      if (isFailure(err)) state.failed++;
      throw err;
    });
  });
  return state;
}

async function expectPullsBack(client: RegistryClient, repository: string, tag: string, digests: string[]) {
  const pulled = await client.getManifest(repository, tag);
  expect(pulled.manifest.layers.map((l) => l.digest)).toEqual(digests);
  for (const layer of pulled.manifest.layers) {
    const file = join(dir, 'pulled', randomUUID());
    await client.downloadBlob(repository, layer.digest, file);
    expect((await digestFile(file)).digest).toBe(layer.digest);
  }
}

describe('large blobs', () => {
  it('sends a blob above the threshold as streamed PATCH chunks with Content-Range, then a PUT', async () => {
    const image = await writeRandomImage(join(dir, randomUUID()), [24 * MiB]);
    const client = new RegistryClient({
      url: registry.url,
      upload: { chunkThreshold: 16 * MiB, chunkSize: 8 * MiB },
    });
    const { sent } = recordRequests();
    const repository = `acme/${randomUUID()}`;
    const pushed = await pushLayout(client, repository, image.layout, image.root, { tags: ['big'] });
    expect(pushed.bytesUploaded).toBe(24 * MiB + image.config.size);
    const patches = sent.filter((r) => r.method === 'PATCH');
    expect(patches.map((r) => r.headers['content-range'])).toEqual([
      `0-${8 * MiB - 1}`,
      `${8 * MiB}-${16 * MiB - 1}`,
      `${16 * MiB}-${24 * MiB - 1}`,
    ]);
    expect(patches.every((r) => r.streamed)).toBe(true);
    await expectPullsBack(client, repository, 'big', [image.layers[0]?.digest ?? '']);
    client.close();
  });
});

describe('broken connections and outages', () => {
  it('resumes a chunked upload from the offset the registry reports after a connection reset', async () => {
    const image = await writeRandomImage(join(dir, randomUUID()), [6 * MiB]);
    let patches = 0;
    // The test double resets the second PATCH before the registry sees any of it.
    const proxy = await startProxy(registry.url, (req: IncomingMessage) => {
      if (req.method === 'PATCH' && ++patches === 2) {
        req.socket.destroy();
        return true;
      }
      return false;
    });
    const client = new RegistryClient({
      url: proxy.url,
      retry: fastRetry,
      upload: { chunkThreshold: MiB, chunkSize: 2 * MiB },
    });
    const { sent } = recordRequests();
    const repository = `acme/${randomUUID()}`;
    await pushLayout(client, repository, image.layout, image.root, { tags: ['v1'] });
    const ranges = sent.filter((r) => r.method === 'PATCH').map((r) => r.headers['content-range']);
    expect(ranges).toEqual([
      `0-${2 * MiB - 1}`,
      `${2 * MiB}-${4 * MiB - 1}`,
      `${2 * MiB}-${4 * MiB - 1}`,
      `${4 * MiB}-${6 * MiB - 1}`,
    ]);
    expect(sent.filter((r) => r.method === 'POST')).toHaveLength(2); // the layer's session and the config's
    expect(sent.some((r) => r.method === 'GET' && r.url.pathname.includes('/blobs/uploads/'))).toBe(true);
    await expectPullsBack(client, repository, 'v1', [image.layers[0]?.digest ?? '']);
    client.close();
    await proxy.close();
  });

  it('completes a push when the registry is stopped mid-upload and restarted', async () => {
    const image = await writeRandomImage(join(dir, randomUUID()), [4 * MiB, 4 * MiB]);
    const client = new RegistryClient({
      url: registry.url,
      retry: fastRetry,
      upload: { chunkThreshold: MiB, chunkSize: MiB },
    });
    const outage = registryOutageAtFirstPatch(400, (err) => err.code === 'ECONNREFUSED');
    const repository = `acme/${randomUUID()}`;
    await pushLayout(client, repository, image.layout, image.root, { tags: ['v1'] });
    await outage.outage;
    expect(outage.failed).toBeGreaterThan(0);
    await expectPullsBack(
      client,
      repository,
      'v1',
      image.layers.map((l) => l.digest),
    );
    client.close();
  });

  it('retries 503 and 429 answers, honouring Retry-After', async () => {
    const image = await writeRandomImage(join(dir, randomUUID()), [1000]);
    const answers = [503, 429];
    const proxy = await startProxy(registry.url, (_req, res) => {
      const status = answers.shift();
      if (!status) return false;
      res.writeHead(status, { 'retry-after': '0' }).end();
      return true;
    });
    const client = new RegistryClient({ url: proxy.url, retry: { ...fastRetry, baseDelayMs: 10_000 } });
    const started = Date.now();
    await pushLayout(client, `acme/${randomUUID()}`, image.layout, image.root);
    expect(answers).toEqual([]);
    expect(Date.now() - started).toBeLessThan(5000); // Retry-After: 0 beat the 10 s backoff
    client.close();
    await proxy.close();
  });

  it('gives up with a retryable GITOPS_REGISTRY_UNAVAILABLE once the attempts are spent', async () => {
    const proxy = await startProxy(registry.url, (_req, res) => {
      res.writeHead(502).end();
      return true;
    });
    const client = new RegistryClient({
      url: proxy.url,
      retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
    });
    await expect(client.hasBlob('acme/down', `sha256:${'0'.repeat(64)}`)).rejects.toMatchObject({
      code: 'GITOPS_REGISTRY_UNAVAILABLE',
      retryable: true,
      message: expect.stringContaining('acme/down'),
    });
    client.close();
    await proxy.close();
  });
});

describe('a retry budget instead of a count of tries', () => {
  const budget = (budgetMs: number) => ({
    attempts: Number.POSITIVE_INFINITY,
    baseDelayMs: 50,
    maxDelayMs: 250,
    budgetMs,
  });

  it('outlasts a registry stopped for seconds mid-upload, trying as often as the budget allows', async () => {
    const image = await writeRandomImage(join(dir, randomUUID()), [3 * MiB, 3 * MiB]);
    const client = new RegistryClient({
      url: registry.url,
      retry: budget(30_000),
      upload: { chunkThreshold: MiB, chunkSize: MiB },
    });
    const outage = registryOutageAtFirstPatch(3000, () => true);
    const repository = `acme/${randomUUID()}`;
    await pushLayout(client, repository, image.layout, image.root, { tags: ['v1'], concurrency: 2 });
    await outage.outage;
    // Both uploads kept trying, every 125 to 250 ms, for the 3 s the registry was away.
    expect(outage.failed).toBeGreaterThan(16);
    await expectPullsBack(
      client,
      repository,
      'v1',
      image.layers.map((l) => l.digest),
    );
    client.close();
  });

  it('gives up once the budget is spent, and says so', async () => {
    const nothing = `http://127.0.0.1:${await freePort()}`;
    const client = new RegistryClient({ url: nothing, retry: budget(1000) });
    const started = performance.now();
    await expect(client.hasBlob('acme/away', `sha256:${'0'.repeat(64)}`)).rejects.toMatchObject({
      code: 'GITOPS_REGISTRY_UNAVAILABLE',
      retryable: true,
      message: expect.stringMatching(/acme\/away.*ECONNREFUSED.*retry budget of 1s spent: \d+ tries/),
    });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(3000);
    client.close();
  });

  it('retries a 408 but not another 4xx', async () => {
    const answers = [408, 400];
    let asked = 0;
    const proxy = await startProxy(registry.url, (req, res) => {
      if (req.method !== 'HEAD') return false;
      asked++;
      res.writeHead(answers.shift() ?? 200).end();
      return true;
    });
    const client = new RegistryClient({ url: proxy.url, retry: budget(10_000) });
    await expect(client.hasBlob('acme/x', `sha256:${'0'.repeat(64)}`)).rejects.toMatchObject({
      code: 'GITOPS_REGISTRY_PROTOCOL',
      message: expect.stringContaining('unexpected answer 400'),
    });
    expect(asked).toBe(2);
    client.close();
    await proxy.close();
  });
});

describe('errors a person must fix', () => {
  it('names the repository in GITOPS_REGISTRY_NOT_FOUND for a manifest that does not exist', async () => {
    const client = new RegistryClient({ url: registry.url });
    await expect(client.getManifest('acme/nothing-here', 'v9')).rejects.toMatchObject({
      code: 'GITOPS_REGISTRY_NOT_FOUND',
      message: expect.stringContaining('acme/nothing-here'),
    });
  });

  it('names the repository in GITOPS_REGISTRY_FORBIDDEN when pushing is denied', async () => {
    const proxy = await startProxy(registry.url, (req, res) => {
      if (req.method === 'HEAD') return false;
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          errors: [{ code: 'DENIED', message: 'requested access to the resource is denied' }],
        }),
      );
      return true;
    });
    const image = await writeRandomImage(join(dir, randomUUID()), [10]);
    const client = new RegistryClient({ url: proxy.url });
    await expect(pushLayout(client, 'acme/readonly', image.layout, image.root)).rejects.toMatchObject({
      code: 'GITOPS_REGISTRY_FORBIDDEN',
      message: expect.stringMatching(/acme\/readonly.*DENIED/),
    });
    client.close();
    await proxy.close();
  });
});
