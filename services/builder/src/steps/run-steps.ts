import { stat } from 'node:fs/promises';
import { formatMs } from '../cancel.js';
import { BuildFailure, builderErrors } from '../errors.js';
import type { PlannedStep } from '../plan/types.js';
import { requirePathInside } from '../safe-path.js';
import type { BuildLog } from './build-log.js';
import type { ProcessResult } from './process.js';
import type { StepRecorder } from './recorder.js';
import type { StepRunner } from './step-runner.js';

export interface StepsInput {
  steps: PlannedStep[];
  /** The checkout: every workdir must be inside it. */
  src: string;
  /** The environment of a step: see `stepEnvironment`. */
  env(step: PlannedStep): Record<string, string>;
  /** Runs a step's process: sandboxed, within the build's limits (src/sandbox). */
  run: StepRunner;
  defaultTimeoutMs: number;
  signal: AbortSignal;
  log: BuildLog;
  recorder: StepRecorder;
  killGraceMs?: number;
}

async function workdirOf(step: PlannedStep, src: string): Promise<string> {
  const what = `workdir of step ${step.name}`;
  const dir = await requirePathInside(src, step.workdir, what);
  if (!(await stat(dir)).isDirectory())
    throw new BuildFailure(`${what} "${step.workdir}" is not a directory`, 'invalid-config');
  return dir;
}

function failureOfStep(step: PlannedStep, result: ProcessResult, input: StepsInput, timeoutMs: number) {
  if (result.failure) return result.failure.inStep(step.name);
  if (result.aborted) {
    const reason = input.signal.reason;
    return reason instanceof BuildFailure ? reason.inStep(step.name) : builderErrors.interrupted();
  }
  if (result.timedOut)
    return new BuildFailure(`step ${step.name} timed out after ${formatMs(timeoutMs)}`, 'timeout', step.name);
  if (result.error)
    return new BuildFailure(`step ${step.name} could not start: ${result.error.message}`, 'error', step.name);
  return new BuildFailure(
    `step ${step.name} failed with exit code ${result.exitCode}`,
    'step-failed',
    step.name,
  );
}

async function runStep(step: PlannedStep, input: StepsInput): Promise<void> {
  input.recorder.begin(step.name);
  const cwd = await workdirOf(step, input.src).catch((err) => {
    input.recorder.record({ name: step.name, status: 'failed', durationMs: 0 });
    throw err instanceof BuildFailure ? err.inStep(step.name) : err;
  });
  const timeoutMs = step.timeoutMs ?? input.defaultTimeoutMs;
  input.log.line(`==> step ${step.name} (in ${step.workdir}, timeout ${formatMs(timeoutMs)}): ${step.run}`);
  const output = input.log.output();
  const result = await input.run({
    command: step.run,
    cwd,
    env: input.env(step),
    timeoutMs,
    signal: input.signal,
    onOutput: (text) => output.push(text),
    ...(input.killGraceMs === undefined ? {} : { killGraceMs: input.killGraceMs }),
  });
  output.flush();
  const ok = result.exitCode === 0 && !result.failure;
  input.recorder.record({
    name: step.name,
    status: ok ? 'succeeded' : 'failed',
    durationMs: result.durationMs,
    ...(result.exitCode === null ? {} : { exitCode: result.exitCode }),
  });
  input.log.line(
    `<== step ${step.name}: ${ok ? 'succeeded' : 'failed'} (exit ${result.exitCode ?? 'none'}) in ${formatMs(result.durationMs)}`,
  );
  if (!ok) throw failureOfStep(step, result, input, timeoutMs);
}

/** Runs the steps in order, each a child process of its own; the first failure stops the build. */
export async function runSteps(input: StepsInput): Promise<void> {
  for (const step of input.steps) await runStep(step, input);
}
