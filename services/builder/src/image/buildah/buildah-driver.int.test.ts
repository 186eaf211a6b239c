import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type ImageManifest, readOciLayout } from '@gitops/oci';
import { startRegistry } from '@gitops/testing';
import { afterAll, describe, expect, it } from 'vitest';
import type { ImageConfig } from '../native/image-config.js';
import { buildRequest } from '../test/build-request.js';
import { pushBusyboxBase } from '../test/busybox-base.js';
import { makeContext } from '../test/context-fixture.js';
import { pullImage } from '../test/registry-images.js';
import { readFromTarGz } from '../test/tar-listing.js';
import { BuildahImageDriver } from './buildah-driver.js';

const run = promisify(execFile);
const registry = await startRegistry();
const env = { REGISTRY_URL: registry.url };
const dataDir = await mkdtemp(join(tmpdir(), 'gitops-buildah-int-'));
const baseRef = `${registry.host}/test/busybox:1`;
await pushBusyboxBase(baseRef, join(dataDir, 'prepare'));
const driver = new BuildahImageDriver({ dataDir, env, contextMaxBytes: 1 << 20 });
const cleanUp: string[] = [dataDir];
afterAll(async () => {
  await registry.dispose();
  await Promise.all(cleanUp.map((d) => rm(d, { recursive: true, force: true })));
});

async function context(dockerfile: string, files: Parameters<typeof makeContext>[0] = {}) {
  const dir = await makeContext({ Dockerfile: dockerfile, ...files });
  cleanUp.push(dir);
  return dir;
}

/** Each layer of the layout, newest first, asked for `path`: the content of the first that has it. */
async function fileInImage(outputDir: string, path: string): Promise<string | undefined> {
  const layout = await readOciLayout(outputDir);
  const manifest = await layout.readJson<ImageManifest>(layout.find().digest);
  for (const layer of [...manifest.layers].reverse()) {
    const content = await readFromTarGz(layout.blobPath(layer.digest), path).catch(() => undefined);
    if (content !== undefined) return content;
  }
  return undefined;
}

describe('BuildahImageDriver', async () => {
  const dockerfile = `FROM ${baseRef}\nCOPY hello.txt /hello.txt\nRUN echo built > /built.txt && cat /hello.txt > /copied.txt\nCMD ["cat", "/built.txt"]\n`;
  const dir = await context(dockerfile, { 'hello.txt': 'hello from the context\n' });
  const request = await buildRequest(dataDir, dir);
  const built = await driver.build(request);

  it('builds a Dockerfile with RUN whose output is in the image', async () => {
    expect(await fileInImage(request.outputDir, 'built.txt')).toBe('built\n');
    expect(await fileInImage(request.outputDir, 'copied.txt')).toBe('hello from the context\n');
  });

  it('returns the digest in the layout, the base image digest, and pins the config to the commit time and labels', async () => {
    const layout = await readOciLayout(request.outputDir);
    expect(layout.find().digest).toBe(built.digest);
    const manifest = await layout.readJson<ImageManifest>(built.digest);
    const config = await layout.readJson<ImageConfig>(manifest.config.digest);
    expect(config.created).toBe(request.commitTime.toISOString().replace('.000', ''));
    expect(config.config?.Labels).toMatchObject(request.labels);
    expect(config.config?.Cmd).toEqual(['cat', '/built.txt']);
    const base = await pullImage(baseRef, env);
    await base.dispose();
    expect(built.baseImages).toEqual([{ name: baseRef, digest: base.digest }]);
  });

  it('builds the same digest again for the same commit and removes the built image from its storage', async () => {
    const again = await driver.build(await buildRequest(dataDir, dir));
    expect(again.digest).toBe(built.digest);
    const storage = [
      '--storage-driver',
      'vfs',
      '--root',
      join(dataDir, 'buildah', 'root'),
      '--runroot',
      join(dataDir, 'buildah', 'runroot'),
    ];
    const { stdout } = await run('buildah', [...storage, 'images', '--format', '{{.Name}}']);
    expect(stdout).not.toContain('gitops-build');
  });

  it('fails naming the Dockerfile line of a failing RUN', async () => {
    const failing = await context(`FROM ${baseRef}\nRUN echo ok\nRUN echo failing && \\\n  false\n`);
    await expect(driver.build(await buildRequest(dataDir, failing))).rejects.toMatchObject({
      code: 'GITOPS_BUILD_BUILDAH_FAILED',
      message: 'buildah failed at Dockerfile line 3 (RUN echo failing &&   false): exit status 1',
    });
  });

  it('kills buildah and the RUN command when the signal aborts', async () => {
    const sleeping = await context(`FROM ${baseRef}\nRUN sleep 987\n`);
    const controller = new AbortController();
    const request = await buildRequest(dataDir, sleeping, {
      signal: controller.signal,
      log: (line) => {
        if (line.includes('RUN sleep 987')) setTimeout(() => controller.abort(new Error('superseded')), 300);
      },
    });
    const started = Date.now();
    await expect(driver.build(request)).rejects.toMatchObject({ code: 'GITOPS_BUILD_CANCELLED' });
    expect(Date.now() - started).toBeLessThan(10_000);
    const { stdout } = await run('ps', ['-eo', 'args']);
    expect(stdout).not.toContain('sleep 987');
  });

  describe('RUN lines of a root builder', () => {
    const secret = `platform-secret-${process.pid}-${Date.now()}`;
    // A process of the platform's with a secret in its environment, as the builder's own has.
    const platform = spawn('sleep', ['300'], { env: { PLATFORM_MARKER: secret }, stdio: 'ignore' });
    afterAll(() => platform.kill());
    const probe = `FROM ${baseRef}\nRUN for f in /proc/[0-9]*/environ; do cat $f; echo; done > /environ.txt; ls /proc > /procs.txt; cat /proc/net/dev > /netdev.txt\n`;
    const interfaces = (netdev: string) =>
      netdev
        .split('\n')
        .slice(2)
        .map((line) => line.split(':')[0]!.trim())
        .filter(Boolean);

    it("see no host process, so no environment of the platform's, and with network none only their loopback", async () => {
      const request = await buildRequest(dataDir, await context(probe), { network: 'none' });
      await driver.build(request);
      expect(await fileInImage(request.outputDir, 'environ.txt')).not.toContain(secret);
      const pids = (await fileInImage(request.outputDir, 'procs.txt'))!
        .split('\n')
        .filter((n) => /^\d+$/.test(n));
      expect(pids).not.toContain(String(platform.pid));
      expect(pids.length).toBeLessThan(20);
      expect(interfaces((await fileInImage(request.outputDir, 'netdev.txt'))!)).toEqual(['lo']);
    });

    it("share the builder's network with egress, still in a PID namespace of their own", async () => {
      const request = await buildRequest(dataDir, await context(probe), { network: 'egress' });
      await driver.build(request);
      expect(await fileInImage(request.outputDir, 'environ.txt')).not.toContain(secret);
      expect(interfaces((await fileInImage(request.outputDir, 'netdev.txt'))!)).not.toEqual(['lo']);
    });
  });

  it('refuses a symlink that points outside the context before running buildah', async () => {
    const escaping = await context(`FROM ${baseRef}\nCOPY . /\n`, { leak: { symlink: '/etc/shadow' } });
    await expect(driver.build(await buildRequest(dataDir, escaping))).rejects.toMatchObject({
      code: 'GITOPS_BUILD_CONTEXT_SYMLINK',
    });
  });
});
