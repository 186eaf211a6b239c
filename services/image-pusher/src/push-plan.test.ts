import { mkdir, mkdtemp, realpath, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_SHA as SHA, buildSucceeded, testApplication } from '@gitops/testing';
import { describe, expect, it } from 'vitest';
import { failedEvent } from './events.js';
import { layoutDir, planPush, provenanceInput } from './push-plan.js';

const DIGEST = `sha256:${'d'.repeat(64)}`;
const app = testApplication('hello');

describe('the push stage', () => {
  it('reads the layout under GITOPS_DATA_DIR and refuses paths that leave it', async () => {
    expect(await layoutDir('/data', 'layouts/p1')).toBe('/data/layouts/p1');
    for (const bad of ['../etc', '/etc/passwd', 'layouts/../../x', '.']) {
      await expect(layoutDir('/data', bad)).rejects.toMatchObject({
        code: 'GITOPS_IMAGE_BAD_LAYOUT',
        statusCode: 422,
      });
    }
  });

  it('refuses a layout that leaves GITOPS_DATA_DIR through a symlink', async () => {
    const dataDir = await realpath(await mkdtemp(join(tmpdir(), 'pusher-data-')));
    await mkdir(join(dataDir, 'images/hello/p1'), { recursive: true });
    await symlink('/etc', join(dataDir, 'images/hello/p2'));
    await symlink('hello', join(dataDir, 'images/alias'));
    expect(await layoutDir(dataDir, 'images/alias/p1')).toBe(join(dataDir, 'images/hello/p1'));
    await expect(layoutDir(dataDir, 'images/hello/p2')).rejects.toMatchObject({
      code: 'GITOPS_IMAGE_BAD_LAYOUT',
      message: 'image layout "images/hello/p2" resolves outside GITOPS_DATA_DIR through a symlink',
    });
  });

  it('plans the push of the build’s digest to the application’s repository under its tags', async () => {
    const event = buildSucceeded({
      app: 'hello',
      digest: DIGEST,
      layout: 'layouts/p1',
      ref: 'refs/tags/v2.1.0',
      baseImages: [{ name: '127.0.0.1:5000/acme/base:1', digest: DIGEST }],
    });
    expect(await planPush(event, app, '/data', 12)).toEqual({
      layoutDir: '/data/layouts/p1',
      digest: DIGEST,
      repository: '127.0.0.1:5000/acme/hello',
      tags: { strict: ['v2.1.0-0123456-12', '2.1.0'], firstWins: [`sha-${SHA}`] },
      mountFrom: ['127.0.0.1:5000/acme/base:1'],
    });
  });

  it('dates the provenance from the build event: it ended at the event’s time after durationMs', () => {
    const event = buildSucceeded({ app: 'hello', digest: DIGEST, layout: 'l' });
    expect(provenanceInput(event, app.image.repository, 3, 'b')).toMatchObject({
      startedOn: '2026-11-27T04:59:48.000Z',
      finishedOn: '2026-11-27T05:00:00.000Z',
      buildNumber: 3,
      image: { name: '127.0.0.1:5000/acme/hello', digest: DIGEST },
    });
  });

  it('reports a failure with the error’s code and message, timed from the end of the build', () => {
    const event = buildSucceeded({ app: 'hello', digest: DIGEST, layout: 'l' });
    const failed = failedEvent(event, 'r', Object.assign(new Error('x'), {}), Date.parse(event.time) + 1500);
    expect(failed.id).toBe(`${event.data.pipelineId}.image.failed`);
    expect(failed.data).toMatchObject({ repository: 'r', durationMs: 1500, error: { message: 'x' } });
  });
});
