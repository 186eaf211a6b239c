import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ImageManifest, readOciLayout } from '@gitops/oci';
import { afterAll, describe, expect, it } from 'vitest';
import { buildRequest, committedSource } from '../test/build-request.js';
import { makeContext } from '../test/context-fixture.js';
import { listTarGz } from '../test/tar-listing.js';
import type { ImageConfig } from './image-config.js';
import { NativeImageDriver } from './native-driver.js';

const dataDir = await mkdtemp(join(tmpdir(), 'gitops-native-data-'));
const driver = new NativeImageDriver({ dataDir, env: {}, contextMaxBytes: 1 << 20 });
const cleanUp: string[] = [dataDir];
afterAll(() => Promise.all(cleanUp.map((d) => rm(d, { recursive: true, force: true }))));

const DOCKERFILE = [
  'FROM scratch',
  'ARG PORT=8080',
  'ENV NODE_ENV=production PORT=$PORT',
  'WORKDIR /app',
  'COPY package.json ./',
  'COPY src/ src/',
  'COPY bin/start /usr/local/bin/',
  'USER 1000',
  'EXPOSE $PORT',
  'LABEL org.example.team=web',
  'ENTRYPOINT ["/usr/local/bin/start"]',
  'CMD serve --verbose',
].join('\n');

const source = await committedSource(
  {
    Dockerfile: DOCKERFILE,
    '.dockerignore': 'src/**/*.test.js\n',
    'package.json': '{"name":"hello"}',
    'src/index.js': 'export {}\n',
    'src/index.test.js': 'ignored\n',
    'bin/start': '#!/bin/sh\nexec node /app/src/index.js\n',
  },
  ['bin/start'],
);
cleanUp.push(source.repo);

async function readImage(outputDir: string) {
  const layout = await readOciLayout(outputDir);
  const manifest = await layout.readJson<ImageManifest>(layout.find().digest);
  const config = await layout.readJson<ImageConfig>(manifest.config.digest);
  return { layout, manifest, config };
}

describe('NativeImageDriver, FROM scratch', async () => {
  const checkout = await source.checkout();
  cleanUp.push(checkout);
  const request = await buildRequest(dataDir, checkout, { commitTime: source.commitTime });
  const built = await driver.build(request);
  const { layout, manifest, config } = await readImage(request.outputDir);

  it('writes an OCI layout whose index.json names the returned digest, with one layer per COPY', async () => {
    expect(layout.find().digest).toBe(built.digest);
    expect(manifest.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(manifest.config.mediaType).toBe('application/vnd.oci.image.config.v1+json');
    expect(manifest.layers.map((l) => l.mediaType)).toEqual(
      Array(3).fill('application/vnd.oci.image.layer.v1.tar+gzip'),
    );
    const sizes = [layout.find(), manifest.config, ...manifest.layers].reduce((sum, d) => sum + d.size, 0);
    expect(built).toEqual({ digest: built.digest, size: sizes, baseImages: [] });
  });

  it('writes the config from the Dockerfile, with the request labels and the commit time everywhere', () => {
    const created = source.commitTime.toISOString();
    expect(config).toMatchObject({ created, architecture: 'amd64', os: 'linux' });
    expect(config.config).toEqual({
      Env: ['NODE_ENV=production', 'PORT=8080'],
      WorkingDir: '/app',
      User: '1000',
      ExposedPorts: { '8080/tcp': {} },
      Labels: { 'org.example.team': 'web', ...request.labels },
      Entrypoint: ['/usr/local/bin/start'],
      Cmd: ['/bin/sh', '-c', 'serve --verbose'],
    });
    expect(config.rootfs.diff_ids).toHaveLength(3);
    expect(config.history?.map((h) => [h.created, h.created_by, h.empty_layer ?? false])).toEqual([
      [created, 'ENV NODE_ENV=production PORT=$PORT', true],
      [created, 'WORKDIR /app', true],
      [created, 'COPY package.json ./', false],
      [created, 'COPY src/ src/', false],
      [created, 'COPY bin/start /usr/local/bin/', false],
      [created, 'USER 1000', true],
      [created, 'EXPOSE $PORT', true],
      [created, 'LABEL org.example.team=web', true],
      [created, 'ENTRYPOINT ["/usr/local/bin/start"]', true],
      [created, 'CMD serve --verbose', true],
    ]);
  });

  it('writes each layer with its files and parents, honouring .dockerignore and the executable bit', async () => {
    const listings = await Promise.all(manifest.layers.map((l) => listTarGz(layout.blobPath(l.digest))));
    const mtime = source.commitTime.toISOString().replace('T', ' ').slice(0, 19);
    expect(listings.flat().every((e) => e.owner === '0/0' && e.mtime === mtime)).toBe(true);
    expect(listings.map((entries) => entries.map((e) => `${e.mode} ${e.name}`))).toEqual([
      ['drwxr-xr-x app/', '-rw-r--r-- app/package.json'],
      ['drwxr-xr-x app/', 'drwxr-xr-x app/src/', '-rw-r--r-- app/src/index.js'],
      [
        'drwxr-xr-x usr/',
        'drwxr-xr-x usr/local/',
        'drwxr-xr-x usr/local/bin/',
        '-rwxr-xr-x usr/local/bin/start',
      ],
    ]);
  });

  it('builds the same digest from another checkout of the same commit', async () => {
    const again = await source.checkout();
    cleanUp.push(again);
    expect(
      (await driver.build(await buildRequest(dataDir, again, { commitTime: source.commitTime }))).digest,
    ).toBe(built.digest);
  });

  it('builds another digest when a file changes', async () => {
    const changed = await source.checkout();
    cleanUp.push(changed);
    await writeFile(join(changed, 'src/index.js'), 'export const x = 1;\n');
    expect(
      (await driver.build(await buildRequest(dataDir, changed, { commitTime: source.commitTime }))).digest,
    ).not.toBe(built.digest);
  });
});

describe('NativeImageDriver, a Dockerfile with # escape=`', () => {
  it('reads backtick escapes and continuations and keeps backslashes literal', async () => {
    const dockerfile = [
      '# escape=`',
      'FROM scratch',
      'ENV GREETING="say `"hi`"" `',
      '    WIN_PATH=C:\\app\\bin',
      'WORKDIR /app',
      'COPY `',
      '  my` file.txt `',
      '  ./',
    ].join('\n');
    const dir = await makeContext({ Dockerfile: dockerfile, 'my file.txt': 'hello' });
    cleanUp.push(dir);
    const request = await buildRequest(dataDir, dir);
    await driver.build(request);
    const { layout, manifest, config } = await readImage(request.outputDir);
    expect(config.config).toMatchObject({
      Env: ['GREETING=say "hi"', 'WIN_PATH=C:\\app\\bin'],
      WorkingDir: '/app',
    });
    const [layer] = manifest.layers;
    expect((await listTarGz(layout.blobPath(layer?.digest ?? ''))).map((e) => e.name)).toEqual([
      'app/',
      'app/my file.txt',
    ]);
  });
});

describe('NativeImageDriver refusals', () => {
  const build = async (files: Parameters<typeof makeContext>[0], maxBytes = 1 << 20) => {
    const dir = await makeContext(files);
    cleanUp.push(dir);
    const request = await buildRequest(dataDir, dir);
    const result = new NativeImageDriver({ dataDir, env: {}, contextMaxBytes: maxBytes }).build(request);
    return { result, request };
  };

  it('refuses a symlink pointing outside the context, naming it, and leaves no output behind', async () => {
    const { result, request } = await build({
      Dockerfile: 'FROM scratch\nCOPY . /\n',
      'config/key': { symlink: '/etc/ssh' },
    });
    await expect(result).rejects.toMatchObject({
      code: 'GITOPS_BUILD_CONTEXT_SYMLINK',
      message: 'symlink config/key in the build context points outside it (to /etc/ssh)',
    });
    await expect(stat(request.outputDir)).rejects.toThrow('ENOENT');
  });

  it('refuses a COPY source outside the context', async () => {
    const { result } = await build({ Dockerfile: 'FROM scratch\nCOPY ../../etc/passwd /x\n' });
    await expect(result).rejects.toMatchObject({
      code: 'GITOPS_BUILD_CONTEXT_ESCAPE',
      message: 'COPY source ../../etc/passwd is outside the build context',
    });
  });

  it('refuses a Dockerfile outside the context', async () => {
    const dir = await makeContext({ 'ctx/a': 'x', Dockerfile: 'FROM scratch\n' });
    cleanUp.push(dir);
    const request = await buildRequest(dataDir, join(dir, 'ctx'), { dockerfile: '../Dockerfile' });
    await expect(driver.build(request)).rejects.toMatchObject({ code: 'GITOPS_BUILD_CONTEXT_ESCAPE' });
  });

  it('refuses an oversized context', async () => {
    const { result } = await build({ Dockerfile: 'FROM scratch\nCOPY . /\n', big: 'x'.repeat(4096) }, 2048);
    await expect(result).rejects.toMatchObject({ code: 'GITOPS_BUILD_CONTEXT_TOO_LARGE' });
  });

  it('refuses a RUN line, naming it', async () => {
    const { result } = await build({ Dockerfile: 'FROM scratch\nCOPY . /\nRUN make\n' });
    await expect(result).rejects.toMatchObject({
      code: 'GITOPS_BUILD_NATIVE_UNSUPPORTED',
      message: expect.stringContaining('line 3: RUN'),
    });
  });

  it('stops promptly when the signal aborts mid-layer, with GITOPS_BUILD_CANCELLED and no output left', async () => {
    const dir = await makeContext({ Dockerfile: 'FROM scratch\nCOPY . /\n', big: randomBytes(64 << 20) });
    cleanUp.push(dir);
    const controller = new AbortController();
    const request = await buildRequest(dataDir, dir, { signal: controller.signal });
    const big = new NativeImageDriver({ dataDir, env: {}, contextMaxBytes: 1 << 30 });
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('superseded')), 50);
    await expect(big.build(request)).rejects.toMatchObject({ code: 'GITOPS_BUILD_CANCELLED' });
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(stat(request.outputDir)).rejects.toThrow('ENOENT');
  });
});
