import { rm } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readContext } from '../context/walk.js';
import { makeContext } from '../test/context-fixture.js';
import { resolveCopy } from './copy-sources.js';
import type { CopyStep } from './dockerfile-stage.js';

const dir = await makeContext({
  '.dockerignore': 'secret.txt\n',
  'package.json': '{}',
  'secret.txt': 'no',
  'src/index.js': 'x',
  'src/lib/util.js': 'y',
  'bin/run': { content: '#!/bin/sh\n', executable: true },
  current: { symlink: 'src' },
  'app.tgz': gzipSync('tar'),
});
afterAll(() => rm(dir, { recursive: true }));
const context = await readContext(dir, { dockerfile: 'Dockerfile', maxBytes: 1 << 20 });

const step = (sources: string[], dest: string, keyword: CopyStep['keyword'] = 'COPY'): CopyStep => ({
  line: 7,
  keyword,
  sources,
  dest,
});
const copy = async (sources: string[], dest: string, knownDirs: string[] = []) =>
  (await resolveCopy(step(sources, dest), context, new Set(knownDirs))).map((e) =>
    e.type === 'file'
      ? `${e.path} <- ${e.source?.slice(dir.length + 1)}${e.executable ? ' (x)' : ''}`
      : `${e.path} ${e.type}`,
  );

describe('resolveCopy', () => {
  it('copies a file to the destination path, or into it when it ends with /', async () => {
    expect(await copy(['package.json'], '/app/pkg.json')).toEqual([
      'app dir',
      'app/pkg.json <- package.json',
    ]);
    expect(await copy(['package.json'], '/app/')).toEqual(['app dir', 'app/package.json <- package.json']);
  });

  it('copies into a directory an earlier layer made even without a trailing slash', async () => {
    expect(await copy(['package.json'], '/app', ['app'])).toEqual([
      'app dir',
      'app/package.json <- package.json',
    ]);
  });

  it('copies the contents of a directory source, keeping executable bits', async () => {
    expect(await copy(['src', 'bin/'], '/srv/')).toEqual([
      'srv dir',
      'srv/index.js <- src/index.js',
      'srv/lib dir',
      'srv/lib/util.js <- src/lib/util.js',
      'srv/run <- bin/run (x)',
    ]);
  });

  it('copies the whole context for ".", without what .dockerignore excludes, keeping symlinks as symlinks', async () => {
    const all = await copy(['.'], '/');
    expect(all).toContain('current symlink');
    expect(all).toContain('src/lib/util.js <- src/lib/util.js');
    expect(all.some((e) => e.includes('secret'))).toBe(false);
  });

  it('follows a symlink named as the source', async () => {
    expect(await copy(['current'], '/code/')).toEqual([
      'code dir',
      'code/index.js <- src/index.js',
      'code/lib dir',
      'code/lib/util.js <- src/lib/util.js',
    ]);
  });

  it('expands wildcards within a path segment', async () => {
    expect(await copy(['src/*.js', '*.json'], '/w/')).toEqual([
      'w dir',
      'w/index.js <- src/index.js',
      'w/package.json <- package.json',
    ]);
    expect(await copy(['*.nothing'], '/w/')).toEqual(['w dir']);
  });

  it('refuses several sources without a directory destination', async () => {
    await expect(copy(['src/*', 'package.json'], '/w')).rejects.toThrow(
      'line 7: with several sources the destination must end with /',
    );
  });

  it.each([['../outside'], ['src/../../x'], ['/etc/passwd']])(
    'refuses the source %s, outside the context',
    async (source) => {
      await expect(copy([source], '/x')).rejects.toMatchObject({
        code: 'GITOPS_BUILD_CONTEXT_ESCAPE',
        message: `COPY source ${source} is outside the build context`,
      });
    },
  );

  it('refuses a missing source and one .dockerignore excludes, naming the line', async () => {
    await expect(copy(['nope.txt'], '/x')).rejects.toMatchObject({
      code: 'GITOPS_BUILD_SOURCE_NOT_FOUND',
      message: expect.stringMatching(/^Dockerfile line 7: nope.txt is not in the build context/),
    });
    await expect(copy(['secret.txt'], '/x')).rejects.toMatchObject({ code: 'GITOPS_BUILD_SOURCE_NOT_FOUND' });
  });

  it('adds a plain file with ADD, but refuses ADD of a URL or of an archive', async () => {
    const add = (source: string) => resolveCopy(step([source], '/x/', 'ADD'), context, new Set());
    await expect(add('package.json')).resolves.toHaveLength(2);
    await expect(add('https://example.com/a.tgz')).rejects.toThrow(
      'line 7: ADD of the URL https://example.com/a.tgz is not supported',
    );
    await expect(add('app.tgz')).rejects.toMatchObject({
      code: 'GITOPS_BUILD_NATIVE_UNSUPPORTED',
      message: expect.stringContaining('ADD of the archive app.tgz'),
    });
  });
});
