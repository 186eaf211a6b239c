import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegistryClient } from '@gitops/oci';
import { startRegistry } from '@gitops/testing';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { buildRequest, committedSource } from '../test/build-request.js';
import { makeContext } from '../test/context-fixture.js';
import { pullImage, pushLayout } from '../test/registry-images.js';
import { listTarGz, readFromTarGz } from '../test/tar-listing.js';
import { NativeImageDriver } from './native-driver.js';

const registry = await startRegistry();
const env = { REGISTRY_URL: registry.url };
const dataDir = await mkdtemp(join(tmpdir(), 'gitops-native-int-'));
const driver = new NativeImageDriver({ dataDir, env, contextMaxBytes: 1 << 20 });
const cleanUp: string[] = [dataDir];
afterAll(async () => {
  await registry.dispose();
  await Promise.all(cleanUp.map((d) => rm(d, { recursive: true, force: true })));
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** A base image built FROM scratch (busybox-like: a file, ENV, CMD, a label) and pushed to the registry. */
async function pushBase(name: string): Promise<string> {
  const dir = await makeContext({
    Dockerfile:
      'FROM scratch\nENV PATH=/bin LANG=C.UTF-8\nCOPY rootfs/ /\nLABEL org.example.base=yes\nCMD ["/bin/sh"]\n',
    'rootfs/etc/os-release': 'NAME=test-base\n',
  });
  cleanUp.push(dir);
  const request = await buildRequest(dataDir, dir, { labels: {} });
  await driver.build(request);
  const ref = `${registry.host}/${name}`;
  await pushLayout(request.outputDir, ref);
  return ref;
}

describe('NativeImageDriver with a base image from the registry', async () => {
  const baseRef = await pushBase('test/base:1');
  const base = await pullImage(baseRef, env);
  const source = await committedSource({
    Dockerfile: `ARG BASE=${baseRef}\nFROM $BASE\nENV PATH=/app/bin:$PATH\nWORKDIR /app\nCOPY . .\nCMD ["node", "index.js"]\n`,
    '.dockerignore': 'Dockerfile\n.git\n',
    'index.js': 'console.log("hello")\n',
  });
  cleanUp.push(source.repo);
  const download = vi.spyOn(RegistryClient.prototype, 'downloadBlob');
  const first = await buildRequest(dataDir, await source.checkout(), { commitTime: source.commitTime });
  const built = await driver.build(first);
  const downloadsFirst = download.mock.calls.length;
  const second = await buildRequest(dataDir, await source.checkout(), { commitTime: source.commitTime });
  const rebuilt = await driver.build(second);
  const downloadsSecond = download.mock.calls.length - downloadsFirst;
  cleanUp.push(first.contextDir, second.contextDir);
  await pushLayout(first.outputDir, `${registry.host}/acme/hello:1`);
  const pulled = await pullImage(`${registry.host}/acme/hello:1`, env);
  afterAll(() => Promise.all([base.dispose(), pulled.dispose()]));

  it('pulls the base config and layer once, then builds again from the cache with the same digest', () => {
    expect(downloadsFirst).toBe(2);
    expect(downloadsSecond).toBe(0);
    expect(rebuilt.digest).toBe(built.digest);
  });

  it('reports the base image by name and manifest digest, and annotates the manifest with them', () => {
    expect(built.baseImages).toEqual([{ name: baseRef, digest: base.digest }]);
    expect(pulled.manifest.annotations).toEqual({
      'org.opencontainers.image.base.name': baseRef,
      'org.opencontainers.image.base.digest': base.digest,
    });
  });

  it('stacks its layer on the base layers, as pulled back from the registry', () => {
    expect(pulled.digest).toBe(built.digest);
    expect(pulled.manifest.layers.slice(0, -1)).toEqual(base.manifest.layers);
    expect(pulled.manifest.layers).toHaveLength(base.manifest.layers.length + 1);
    expect(pulled.config.rootfs.diff_ids.slice(0, -1)).toEqual(base.config.rootfs.diff_ids);
    expect(pulled.config.history?.slice(0, base.config.history?.length)).toEqual(base.config.history);
  });

  it("merges the base config with the Dockerfile's and the request's labels", () => {
    expect(pulled.config.config).toEqual({
      Env: ['PATH=/app/bin:/bin', 'LANG=C.UTF-8'],
      Cmd: ['node', 'index.js'],
      WorkingDir: '/app',
      Labels: { 'org.example.base': 'yes', ...first.labels },
    });
  });

  it('puts the context, minus .dockerignore, in the new layer', async () => {
    const file = pulled.layerFiles.at(-1) ?? '';
    expect((await listTarGz(file)).map((e) => e.name)).toEqual(['app/', 'app/.dockerignore', 'app/index.js']);
    expect(await readFromTarGz(file, 'app/index.js')).toBe('console.log("hello")\n');
  });

  it('fails with GITOPS_BUILD_BASE_IMAGE naming a base image the registry does not have', async () => {
    const dir = await makeContext({ Dockerfile: `FROM ${registry.host}/test/missing:1\n` });
    cleanUp.push(dir);
    await expect(driver.build(await buildRequest(dataDir, dir))).rejects.toMatchObject({
      code: 'GITOPS_BUILD_BASE_IMAGE',
      message: expect.stringContaining(`cannot pull base image ${registry.host}/test/missing:1`),
      retryable: false,
    });
  });
});
