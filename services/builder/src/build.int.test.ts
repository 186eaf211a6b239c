import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { LeaseHolder } from '@gitops/fs';
import { type ImageManifest, readOciLayout } from '@gitops/oci';
import { type GitServer, startGitServer } from '@gitops/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BuildFailure } from './errors.js';
import { buildPushed } from './test/build-harness.js';
import { fixtureFiles } from './test/fixtures.js';
import { processesWith, uniqueSleep } from './test/pids.js';

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );
const SCRATCH = { Dockerfile: 'FROM scratch\nCOPY app.txt /app.txt\n', 'app.txt': 'hello\n' };
const steps = (yaml: string) => ({ ...SCRATCH, '.gitops.yaml': yaml });

describe('a build of a pushed commit', () => {
  let server: GitServer;

  beforeAll(async () => {
    server = await startGitServer();
  });
  afterAll(() => server?.dispose());

  it("runs the sample project's tests, reads its reports and writes a labelled image", async () => {
    const { outcome, sha, dataDir, pipelineId } = await buildPushed(
      server,
      await fixtureFiles('node-sample'),
    );
    expect(outcome.failure).toBeUndefined();
    expect(outcome.steps.map((s) => [s.name, s.status])).toEqual([
      ['checkout', 'succeeded'],
      ['test', 'succeeded'],
      ['image', 'succeeded'],
    ]);
    expect(outcome.steps[1]?.exitCode).toBe(0);
    expect(outcome.reports.tests).toEqual({ total: 4, failed: 0, skipped: 1 });
    expect(outcome.reports.coverage).toMatchObject({
      lines: expect.any(Number),
      branches: expect.any(Number),
    });
    expect(outcome.image?.layout).toBe(`images/demo/${pipelineId}`);
    const layout = await readOciLayout(join(dataDir.root, outcome.image!.layout));
    expect(layout.find().digest).toBe(outcome.image?.digest);
    const manifest = await layout.readJson<ImageManifest>(outcome.image!.digest);
    const config = await layout.readJson<{ config: { Labels: Record<string, string> } }>(
      manifest.config.digest,
    );
    expect(config.config.Labels).toMatchObject({
      'org.opencontainers.image.revision': sha,
      'org.opencontainers.image.source': expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/acme\//),
    });
    expect(await exists(dataDir.workspace(pipelineId))).toBe(false);
  });

  it('builds the same digest from the same commit twice, without .git in the build context', async () => {
    const files = {
      Dockerfile: 'FROM scratch\nCOPY . /app/\n',
      'app.txt': 'hello\n',
      '.gitops.yaml': 'steps: []\n',
    };
    const first = await buildPushed(server, files);
    const second = await first.again();
    expect(second.outcome.image?.digest).toBe(first.outcome.image?.digest);
  });

  it("holds the image drivers' cache and buildah storage for the image step, and lets them go after", async () => {
    const holds: { entries: readonly string[]; released: boolean }[] = [];
    const leases: LeaseHolder = {
      hold: async (entries) => {
        const hold = { entries, released: false };
        holds.push(hold);
        const release = async () => {
          hold.released = true;
        };
        return { entries, release };
      },
    };
    const { outcome } = await buildPushed(server, steps('steps: []\n'), { leases });
    expect(outcome.image).toBeDefined();
    expect(holds).toEqual([{ entries: ['cache', 'buildah'], released: true }]);
  });

  it('fails naming the step and its exit code when a test step fails, and skips the rest', async () => {
    const { outcome, dataDir, pipelineId } = await buildPushed(
      server,
      steps(
        'steps:\n  - { name: test, run: "echo 1 test failed; exit 3" }\n  - { name: lint, run: "true" }\n',
      ),
    );
    expect(outcome.failure).toMatchObject({
      reason: 'step-failed',
      step: 'test',
      message: 'step test failed with exit code 3',
    });
    expect(outcome.steps.slice(1)).toEqual([
      { name: 'test', status: 'failed', durationMs: expect.any(Number), exitCode: 3 },
      { name: 'lint', status: 'skipped', durationMs: 0 },
      { name: 'image', status: 'skipped', durationMs: 0 },
    ]);
    expect(await exists(dataDir.workspace(pipelineId))).toBe(false);
    expect(await exists(dataDir.image('demo', pipelineId).path)).toBe(false);
  });

  it('kills a hanging step and its children at the step timeout', async () => {
    // Seen from the host: the step's pids are those of its sandbox's namespace.
    const sleep = uniqueSleep();
    const { outcome } = await buildPushed(
      server,
      steps(
        `steps: [{ name: hang, run: "sleep ${sleep} & setsid sleep ${sleep} & sleep ${sleep}", timeout: 500ms }]\n`,
      ),
    );
    expect(outcome.failure).toMatchObject({
      reason: 'timeout',
      step: 'hang',
      message: 'step hang timed out after 500ms',
    });
    expect(await processesWith(`sleep ${sleep}`)).toEqual([]);
  });

  it("stops at .gitops.yaml's own build timeout", async () => {
    const { outcome } = await buildPushed(
      server,
      steps('timeout: 300ms\nsteps: [{ name: slow, run: "sleep 30" }]\n'),
    );
    expect(outcome.failure).toMatchObject({ reason: 'timeout', step: 'slow' });
    expect(outcome.failure?.message).toBe('build (.gitops.yaml timeout) timed out after 300ms');
  });

  it('ends a cancelled build with the reason it was cancelled for, naming the running step', async () => {
    const sleep = uniqueSleep();
    const controller = new AbortController();
    const cancel = vi
      .waitFor(async () => expect(await processesWith(`sleep ${sleep}`)).not.toEqual([]), {
        timeout: 20_000,
        interval: 50,
      })
      .then(() => controller.abort(new BuildFailure('superseded by pipeline demo-2', 'superseded')));
    const { outcome } = await buildPushed(server, steps(`steps: [{ name: test, run: "sleep ${sleep}" }]\n`), {
      signal: controller.signal,
    });
    await cancel;
    expect(outcome.failure).toMatchObject({ reason: 'superseded', step: 'test' });
    expect(outcome.durationMs).toBeLessThan(20_000);
  });

  it('gives steps a HOME and TMPDIR inside the workspace, none of the builder secrets, and redacts them', async () => {
    const env = { ...process.env, GIT_PASSWORD: 'git-pass-value', REGISTRY_PASSWORD: 'registry-pass-value' };
    const command =
      'echo "home=$HOME tmp=$TMPDIR pw=[$GIT_PASSWORD][$REGISTRY_PASSWORD]"; echo registry-pass-value';
    const { log, dataDir, pipelineId } = await buildPushed(
      server,
      steps(`steps: [{ name: env, run: '${command}' }]\n`),
      {
        env,
      },
    );
    const workspace = dataDir.workspace(pipelineId);
    expect(log).toContain(`home=${workspace}/home tmp=${workspace}/tmp pw=[][]`);
    expect(log).toContain('[redacted]');
    expect(log).not.toContain('registry-pass-value');
  });

  it('fails with the field path when .gitops.yaml is broken', async () => {
    const { outcome } = await buildPushed(server, steps('steps: [{ name: test, command: make }]\n'));
    expect(outcome.failure).toMatchObject({ reason: 'invalid-config' });
    expect(outcome.failure?.message).toContain('.gitops.yaml: steps.0.run: Expected required property');
  });

  it('fails naming the sha when the server does not have the pushed commit', async () => {
    const { outcome } = await buildPushed(server, SCRATCH, { sha: 'e'.repeat(40) });
    expect(outcome.failure).toMatchObject({ reason: 'source', step: 'checkout' });
    expect(outcome.failure?.message).toContain(`commit ${'e'.repeat(40)} is not in`);
    expect(outcome.steps).toEqual([{ name: 'checkout', status: 'failed', durationMs: expect.any(Number) }]);
  });

  describe('paths from the repository that escape the workspace', () => {
    // git stores symlinks as links, so a checkout recreates them exactly as a hostile repository wants.
    it('refuses a step workdir that is a symlink out of the repository', async () => {
      const files = steps('steps: [{ name: test, run: "touch pwned", workdir: out }]\n');
      const { outcome } = await buildPushed(server, files, { links: { out: '/tmp' } });
      expect(outcome.failure).toMatchObject({ reason: 'invalid-config', step: 'test' });
      expect(outcome.steps.map((step) => step.status)).toEqual(['succeeded', 'failed', 'skipped']);
      expect(outcome.failure?.message).toBe(
        'workdir of step test "out" resolves outside the repository through a symlink',
      );
    });

    it('refuses a report path that is a symlink out of the repository', async () => {
      const files = steps('steps: []\nreports: { coverage: coverage.json }\n');
      const { outcome } = await buildPushed(server, files, { links: { 'coverage.json': '/etc/hostname' } });
      expect(outcome.failure?.message).toBe(
        'coverage report "coverage.json" resolves outside the repository through a symlink',
      );
    });

    it('refuses a build context that is a symlink out of the repository', async () => {
      const links = { ctx: '/etc' };
      const { outcome } = await buildPushed(server, steps('steps: []\n'), {
        links,
        build: { context: 'ctx' },
      });
      expect(outcome.failure).toMatchObject({ reason: 'invalid-config', step: 'image' });
      expect(outcome.failure?.message).toContain('build context (spec.build.context) "ctx" resolves outside');
    });
  });
});
