import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Application } from '@gitops/config';
import type { EventData } from '@gitops/contracts';
import { DataLeases, type LeaseHolder, whileHeld } from '@gitops/fs';
import { deadline, failureOf } from './cancel.js';
import type { DataDir } from './data-dir.js';
import { IMAGE_STORES } from './data-gc/areas.js';
import { BuildFailure } from './errors.js';
import { type DriverFactory, type LaidOutImage, buildImage } from './image-build.js';
import { loadBuildPlan } from './plan/plan.js';
import type { BuildPlan } from './plan/types.js';
import { type TestReports, readReports } from './reports/read-reports.js';
import { checkout } from './source/checkout.js';
import { type GitCredentials, gitAccess } from './source/git-access.js';
import { type Workspace, createWorkspace, removeWorkspace } from './source/workspace.js';
import type { BuildLog } from './steps/build-log.js';
import { declaredEnvironment } from './steps/declared-env.js';
import { StepRecorder, type StepResult } from './steps/recorder.js';
import { runSteps } from './steps/run-steps.js';
import { stepEnvironment } from './steps/step-env.js';
import type { StepIsolation } from './steps/step-runner.js';
import { limitWorkspace } from './steps/workspace-limit.js';

export interface BuildRequest {
  source: EventData<'source.received'>;
  application: Application;
  log: BuildLog;
  /** Aborted by a superseding push, the build's deadline or shutdown; its reason says which. */
  signal: AbortSignal;
}

export interface BuildDeps {
  dataDir: DataDir;
  credentials: GitCredentials;
  createDriver: DriverFactory;
  /** The builder's environment: git runs with it, and applications' secrets are read from it. */
  env: NodeJS.ProcessEnv;
  /** Where steps run: a sandbox (src/sandbox), or the builder itself with BUILD_SANDBOX=off. */
  isolation: StepIsolation;
  /** BUILD_WORKSPACE_MAX. */
  workspaceMaxBytes: number;
  /** Variables no application may hand to its steps: the builder's configuration, webhook secrets. */
  platformVariables?: ReadonlySet<string>;
  stepTimeoutMs: number;
  killGraceMs?: number;
  /** Marks what a build uses so the data collector keeps it (default: leases under `dataDir`). */
  leases?: LeaseHolder;
}

export interface BuildOutcome {
  durationMs: number;
  steps: StepResult[];
  reports: TestReports;
  image?: LaidOutImage;
  failure?: BuildFailure;
}

interface Build {
  request: BuildRequest;
  deps: BuildDeps;
  workspace: Workspace;
  recorder: StepRecorder;
  /** Steps planned but not yet run, reported as `skipped` if the build stops early. */
  planned: string[];
  reports: TestReports;
}

async function fetchSource(build: Build): Promise<Date> {
  const { source, application, log, signal } = build.request;
  const access = await gitAccess(build.deps.env, build.deps.credentials);
  log.hide(access.secrets);
  log.line(`==> checkout ${source.commit} (${source.ref}) from ${application.source.repoURL}`);
  const { commitTime } = await build.recorder.time('checkout', () =>
    checkout({
      repoURL: application.source.repoURL,
      mirror: build.deps.dataDir.mirror(application.source.repoURL),
      sha: source.commit,
      ref: source.ref,
      branch: source.branch,
      pipelineId: source.pipelineId,
      dir: build.workspace.src,
      access,
      signal,
      log: (line) => log.line(line),
    }),
  );
  return commitTime;
}

/** The steps, then the reports they wrote (also after a failed step: a red test run has counts too). */
async function runPlan(build: Build, plan: BuildPlan, signal: AbortSignal): Promise<void> {
  const { source, log, application } = build.request;
  const { workspace, deps } = build;
  const declared = await declaredEnvironment(application.build, deps.env, deps.platformVariables);
  log.hide(Object.values(declared.secrets));
  const { network } = application.build;
  const run = await deps.isolation.prepare({
    workspace,
    dataRoot: deps.dataDir.root,
    readOnly: [deps.dataDir.mirror(application.source.repoURL)],
    network,
  });
  const context = { ...source, home: workspace.home, tmp: workspace.tmp, path: deps.isolation.path };
  log.line(`plan from ${plan.from}: ${plan.steps.map((s) => s.name).join(', ') || 'no steps'}`);
  log.line(`steps run ${deps.isolation.name}, network ${network}`);
  let failed: unknown;
  await runSteps({
    steps: plan.steps,
    src: workspace.src,
    env: (step) => stepEnvironment(declared, context, step),
    run: limitWorkspace(run, workspace.root, deps.workspaceMaxBytes),
    defaultTimeoutMs: deps.stepTimeoutMs,
    signal,
    log,
    recorder: build.recorder,
    ...(deps.killGraceMs === undefined ? {} : { killGraceMs: deps.killGraceMs }),
  }).catch((err) => {
    failed = err;
  });
  build.reports = await readReports(workspace.src, plan, (line) => log.line(line)).catch((err) => {
    failed ??= err;
    return {};
  });
  if (failed) throw failed;
}

async function stepsAndImage(build: Build): Promise<LaidOutImage> {
  const { request, deps, workspace, recorder } = build;
  const commitTime = await fetchSource(build);
  const plan = await loadBuildPlan(workspace.src);
  build.planned = [...plan.steps.map((s) => s.name), 'image'];
  const own = plan.timeoutMs ? deadline(plan.timeoutMs, 'build (.gitops.yaml timeout)') : undefined;
  const signal = own ? AbortSignal.any([request.signal, own.signal]) : request.signal;
  try {
    await runPlan(build, plan, signal);
    // As for a git URL context in BuildKit: .git (its index changes with every checkout) is never
    // part of the image, so `COPY . /app` gives the same digest for the same commit.
    await rm(join(workspace.src, '.git'), { recursive: true, force: true });
    // The drivers' base-image cache and buildah storage are shared by every build: held while used.
    const leases = deps.leases ?? new DataLeases(deps.dataDir.root);
    return await recorder.time('image', () =>
      whileHeld(leases, IMAGE_STORES, () =>
        buildImage({
          application: request.application,
          src: workspace.src,
          output: deps.dataDir.image(request.source.app, request.source.pipelineId),
          sha: request.source.commit,
          commitTime,
          signal,
          log: (line) => request.log.line(line),
          createDriver: deps.createDriver,
        }),
      ),
    );
  } catch (err) {
    throw failureOf(err, signal, recorder.running);
  } finally {
    own?.clear();
  }
}

/**
 * One build: a fresh workspace, the pushed commit checked out, the repository's steps, its
 * reports, the image. A failure the build itself explains ends in an outcome with `failure`; an
 * infrastructure fault or a shutdown is thrown, for the stage runner to retry. The workspace is
 * removed whatever happens.
 */
export async function runBuild(request: BuildRequest, deps: BuildDeps): Promise<BuildOutcome> {
  const started = performance.now();
  const workspace = await createWorkspace(deps.dataDir.workspace(request.source.pipelineId));
  const build: Build = { request, deps, workspace, recorder: new StepRecorder(), planned: [], reports: {} };
  const outcome = (extra: Partial<BuildOutcome>): BuildOutcome => ({
    durationMs: Math.round(performance.now() - started),
    steps: build.recorder.results(build.planned),
    reports: build.reports,
    ...extra,
  });
  try {
    if (request.signal.aborted) throw request.signal.reason;
    return outcome({ image: await stepsAndImage(build) });
  } catch (err) {
    const failure = failureOf(err, request.signal, build.recorder.running);
    if (!(failure instanceof BuildFailure)) throw failure;
    request.log.line(`build failed (${failure.reason}): ${failure.message}`);
    return outcome({ failure });
  } finally {
    await removeWorkspace(workspace.root);
  }
}
