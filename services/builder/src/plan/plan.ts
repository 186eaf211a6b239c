import { readRepoFile } from '../safe-path.js';
import { defaultSteps } from './defaults.js';
import { GITOPS_FILE, type GitopsFile, durationMs, parseGitopsFile } from './gitops-file.js';
import type { BuildPlan, PlannedStep } from './types.js';

/** Where test tools write their reports by default: Istanbul/nyc/c8/jest, lcov, Cobertura. */
export const DEFAULT_COVERAGE = [
  'coverage/coverage-summary.json',
  'coverage/lcov.info',
  'lcov.info',
  'coverage/cobertura-coverage.xml',
  'coverage.xml',
];
export const DEFAULT_JUNIT = ['junit.xml', 'test-results.xml', 'reports/junit.xml'];

const strings = (env: Record<string, string | number | boolean> = {}) =>
  Object.fromEntries(Object.entries(env).map(([name, value]) => [name, String(value)]));

function declaredStep(step: NonNullable<GitopsFile['steps']>[number]): PlannedStep {
  const planned: PlannedStep = {
    name: step.name,
    run: step.run,
    env: strings(step.env),
    workdir: step.workdir ?? '.',
  };
  if (step.timeout) planned.timeoutMs = durationMs(step.timeout);
  return planned;
}

/**
 * The build plan of a checked-out repository. `.gitops.yaml` without `steps` keeps the default
 * steps and overrides only what it says; `steps: []` runs none. Its top-level `env` applies to
 * every step, and a step's own `env` wins.
 */
export async function loadBuildPlan(src: string): Promise<BuildPlan> {
  const text = await readRepoFile(src, GITOPS_FILE, GITOPS_FILE);
  if (text === undefined) {
    return {
      from: 'defaults',
      steps: await defaultSteps(src),
      coverage: DEFAULT_COVERAGE,
      junit: DEFAULT_JUNIT,
    };
  }
  const file = parseGitopsFile(text);
  const steps = file.steps ? file.steps.map(declaredStep) : await defaultSteps(src);
  const shared = strings(file.env);
  const plan: BuildPlan = {
    from: GITOPS_FILE,
    steps: steps.map((step) => ({ ...step, env: { ...shared, ...step.env } })),
    coverage: file.reports?.coverage ? [file.reports.coverage] : DEFAULT_COVERAGE,
    junit: file.reports?.junit ?? DEFAULT_JUNIT,
  };
  if (file.timeout) plan.timeoutMs = durationMs(file.timeout);
  return plan;
}
