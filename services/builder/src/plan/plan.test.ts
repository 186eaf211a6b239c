import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_COVERAGE, loadBuildPlan } from './plan.js';

const repo = async (files: Record<string, string>) => {
  const dir = await mkdtemp(join(tmpdir(), 'builder-plan-'));
  for (const [path, content] of Object.entries(files)) await writeFile(join(dir, path), content);
  return dir;
};
const names = async (files: Record<string, string>) =>
  (await loadBuildPlan(await repo(files))).steps.map((s) => s.run);
const pkg = (scripts: Record<string, string>) => JSON.stringify({ name: 'x', scripts });

describe('the build plan', () => {
  it('runs npm ci and npm test for a Node project with a lockfile and a test script', async () => {
    expect(await names({ 'package.json': pkg({ test: 'vitest run' }), 'package-lock.json': '{}' })).toEqual([
      'npm ci',
      'npm test',
    ]);
  });

  it('skips install without a lockfile and test without a real test script', async () => {
    expect(await names({ 'package.json': pkg({ test: 'vitest' }) })).toEqual(['npm test']);
    const placeholder = pkg({ test: 'echo "Error: no test specified" && exit 1' });
    expect(await names({ 'package.json': placeholder, 'package-lock.json': '{}' })).toEqual(['npm ci']);
  });

  it('runs nothing for a project it does not know', async () => {
    expect(await names({ 'go.mod': 'module x' })).toEqual([]);
  });

  it('keeps the default steps when .gitops.yaml only sets reports, and gives them its env', async () => {
    const plan = await loadBuildPlan(
      await repo({
        'package.json': pkg({ test: 'node --test' }),
        '.gitops.yaml': 'env: { FOO: bar }\nreports: { junit: [out/junit.xml] }\n',
      }),
    );
    expect(plan.steps).toEqual([{ name: 'test', run: 'npm test', env: { FOO: 'bar' }, workdir: '.' }]);
    expect(plan.junit).toEqual(['out/junit.xml']);
    expect(plan.coverage).toEqual(DEFAULT_COVERAGE);
  });

  it("lets a step's env override the file's, and converts values and timeouts", async () => {
    const plan = await loadBuildPlan(
      await repo({
        '.gitops.yaml': `env: { LEVEL: 1, MODE: a }
steps: [{ name: t, run: make, env: { MODE: b }, timeout: 90s }]
timeout: 20m
`,
      }),
    );
    expect(plan.steps[0]).toEqual({
      name: 't',
      run: 'make',
      env: { LEVEL: '1', MODE: 'b' },
      workdir: '.',
      timeoutMs: 90_000,
    });
    expect(plan.timeoutMs).toBe(1_200_000);
  });

  it('runs no step for steps: []', async () => {
    expect(await names({ 'package.json': pkg({ test: 'x' }), '.gitops.yaml': 'steps: []' })).toEqual([]);
  });
});
