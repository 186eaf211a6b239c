import { describe, expect, it } from 'vitest';
import { stepEnvironment } from './step-env.js';

const context = {
  path: '/usr/local/bin:/usr/bin:/bin',
  home: '/ws/home',
  tmp: '/ws/tmp',
  app: 'demo',
  pipelineId: 'p1',
  commit: 'abc',
  branch: 'main',
  ref: 'refs/heads/main',
};
const step = {
  name: 'test',
  run: 'npm test',
  workdir: '.',
  env: { MODE: 'repo', LEVEL: 'repo', HOME: '/x' },
};

describe("a step's environment", () => {
  it("is the sandbox's PATH, the repository's env, the application's env and secrets, then the builder's own", () => {
    const env = stepEnvironment({ env: { LEVEL: 'app' }, secrets: { TOKEN: 'tok-value' } }, context, step);
    expect(env).toEqual({
      PATH: '/usr/local/bin:/usr/bin:/bin',
      MODE: 'repo',
      LEVEL: 'app',
      TOKEN: 'tok-value',
      HOME: '/ws/home',
      TMPDIR: '/ws/tmp',
      CI: 'true',
      GITOPS_APP: 'demo',
      GITOPS_PIPELINE_ID: 'p1',
      GITOPS_COMMIT: 'abc',
      GITOPS_BRANCH: 'main',
      GITOPS_REF: 'refs/heads/main',
      GITOPS_STEP: 'test',
    });
  });

  it("keeps a declared secret when the repository's env names the same variable", () => {
    const env = stepEnvironment({ env: {}, secrets: { TOKEN: 'real' } }, context, {
      ...step,
      env: { TOKEN: 'fake' },
    });
    expect(env.TOKEN).toBe('real');
  });
});
