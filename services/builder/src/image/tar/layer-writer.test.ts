import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { OciLayoutWriter } from '@gitops/oci';
import { afterAll, describe, expect, it } from 'vitest';
import { makeContext } from '../test/context-fixture.js';
import { listTarGz, readFromTarGz } from '../test/tar-listing.js';
import { type LayerEntry, completeEntries, writeLayer } from './layer-writer.js';

const MTIME = Date.UTC(2024, 0, 2, 3, 4, 5) / 1000;
const longDir = `deep/${'d'.repeat(120)}`;
const longName = `${'n'.repeat(150)}.txt`;
const source = await makeContext({
  'app.js': 'console.log(1)\n',
  'run.sh': { content: '#!/bin/sh\necho hi\n', executable: true },
  long: 'long\n',
  'é.txt': 'unicode\n',
});
const out = await mkdtemp(join(tmpdir(), 'gitops-layer-'));
afterAll(() => Promise.all([rm(source, { recursive: true }), rm(out, { recursive: true })]));

const file = (path: string, name: string): LayerEntry => ({
  path,
  type: 'file',
  source: join(source, name),
  size: 0,
});
async function entries(): Promise<LayerEntry[]> {
  const sized = async (e: LayerEntry) => ({ ...e, size: (await readFile(e.source ?? '')).length });
  return Promise.all([
    sized(file('srv/app/app.js', 'app.js')),
    sized({ ...file('srv/app/run.sh', 'run.sh'), executable: true }),
    sized(file(`${longDir}/${longName}`, 'long')),
    sized(file('srv/é.txt', 'é.txt')),
    { path: 'srv/app/current', type: 'symlink', linkname: 'app.js' },
  ]);
}
async function build(dir: string) {
  const layout = await OciLayoutWriter.create(join(out, dir));
  const layer = await writeLayer(layout, completeEntries(await entries()), { mtime: MTIME });
  return { ...layer, file: layout.blobPath(layer.descriptor.digest) };
}

describe('writeLayer', async () => {
  const first = await build('one');

  it('writes sorted entries with their parent directories, root-owned, at the fixed mtime, 0755/0644 modes', async () => {
    const listed = await listTarGz(first.file);
    expect(listed.map((e) => `${e.mode} ${e.owner} ${e.mtime} ${e.name}`)).toEqual([
      'drwxr-xr-x 0/0 2024-01-02 03:04:05 deep/',
      `drwxr-xr-x 0/0 2024-01-02 03:04:05 ${longDir}/`,
      `-rw-r--r-- 0/0 2024-01-02 03:04:05 ${longDir}/${longName}`,
      'drwxr-xr-x 0/0 2024-01-02 03:04:05 srv/',
      'drwxr-xr-x 0/0 2024-01-02 03:04:05 srv/app/',
      '-rw-r--r-- 0/0 2024-01-02 03:04:05 srv/app/app.js',
      'lrwxrwxrwx 0/0 2024-01-02 03:04:05 srv/app/current',
      '-rwxr-xr-x 0/0 2024-01-02 03:04:05 srv/app/run.sh',
      '-rw-r--r-- 0/0 2024-01-02 03:04:05 srv/é.txt',
    ]);
    expect(listed.find((e) => e.name === 'srv/app/current')?.linkname).toBe('app.js');
  });

  it('stores file contents, including under a name longer than ustar holds (PAX)', async () => {
    expect(await readFromTarGz(first.file, 'srv/app/run.sh')).toBe('#!/bin/sh\necho hi\n');
    expect(await readFromTarGz(first.file, `${longDir}/${longName}`)).toBe('long\n');
    expect(await readFromTarGz(first.file, 'srv/é.txt')).toBe('unicode\n');
  });

  it('names the blob by the digest of its bytes and the diff id by that of the uncompressed tar', async () => {
    const gz = await readFile(first.file);
    expect(first.descriptor).toMatchObject({
      mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
      size: gz.length,
      digest: `sha256:${createHash('sha256').update(gz).digest('hex')}`,
    });
    expect(first.diffId).toBe(`sha256:${createHash('sha256').update(gunzipSync(gz)).digest('hex')}`);
  });

  it('compresses deterministically: gzip mtime 0, same bytes on every run', async () => {
    const gz = await readFile(first.file);
    expect(gz.readUInt32LE(4)).toBe(0);
    const second = await build('two');
    expect(second.descriptor.digest).toBe(first.descriptor.digest);
    expect(second.diffId).toBe(first.diffId);
  });

  it('fails when a file changed size after the walk, leaving no blob behind', async () => {
    const layout = await OciLayoutWriter.create(join(out, 'changed'));
    const wrong = [{ ...file('x', 'app.js'), size: 3 }];
    await expect(writeLayer(layout, wrong, { mtime: MTIME })).rejects.toThrow(/changed size/);
    expect(await readdir(join(out, 'changed', 'blobs', 'sha256'))).toEqual([]);
  });

  it('stops when the signal aborts', async () => {
    const layout = await OciLayoutWriter.create(join(out, 'aborted'));
    const controller = new AbortController();
    controller.abort(new Error('superseded'));
    const written = writeLayer(layout, await entries(), { mtime: MTIME, signal: controller.signal });
    await expect(written).rejects.toSatisfy(
      (err: Error) => err.name === 'AbortError' || err.message === 'superseded',
    );
    expect(await readdir(join(out, 'aborted', 'blobs', 'sha256'))).toEqual([]);
  });
});

describe('completeEntries', () => {
  it('adds missing parents once and orders each directory before its contents', () => {
    const paths = completeEntries([
      { path: 'a-b', type: 'dir' },
      { path: 'a/z', type: 'dir' },
      { path: 'a/b/c', type: 'symlink', linkname: 'x' },
      { path: 'a/b', type: 'dir' },
    ]).map((e) => e.path);
    expect(paths).toEqual(['a', 'a/b', 'a/b/c', 'a/z', 'a-b']);
  });
});
