import type { Application } from '@gitops/config';
import type { GitopsEvent } from '@gitops/contracts';
import { DataLeases, type LeaseHolder, whileHeld } from '@gitops/fs';
import type { JobContext, StageHandler } from '@gitops/queue';
import type { BuildOutcome, BuildRequest } from './build.js';
import { deadline } from './cancel.js';
import type { DataDir } from './data-dir.js';
import { pipelineEntries } from './data-gc/pipeline-entries.js';
import { BuildFailure } from './errors.js';
import { failedEvent, resultEvent, startedEvent } from './events.js';
import type { ResultStore } from './results.js';
import { BuildLog } from './steps/build-log.js';
import type { Redactor } from './steps/redact.js';
import { type SupersedeCoordinator, claimOf } from './supersede.js';

export interface HandlerDeps {
  apps: ReadonlyMap<string, Application>;
  dataDir: DataDir;
  results: ResultStore;
  /** The handler claims the branch as its build starts; the stage runner notes pushes as they arrive. */
  supersede: Pick<SupersedeCoordinator, 'claim'>;
  build(request: BuildRequest): Promise<BuildOutcome>;
  buildTimeoutMs: number;
  logMaxBytes: number;
  redactor: Redactor;
  /** Called with every finished build's result event (metrics). */
  onResult?(event: GitopsEvent<'build.succeeded'> | GitopsEvent<'build.failed'>): void;
  /** Marks the pipeline's files in use for the data collector (default: leases under `dataDir`). */
  leases?: LeaseHolder;
}

type Source = GitopsEvent<'source.received'>;

// What a build that never ran reports: no time, no steps, no reports.
const NOTHING_RAN = { durationMs: 0, steps: [], reports: {} };

/** Builds within the build's deadline; a newer push (`superseded`) or shutdown stops it early. */
async function buildWithin(
  event: Source,
  application: Application,
  signals: AbortSignal[],
  deps: HandlerDeps,
  log: BuildLog,
) {
  const timeout = deadline(deps.buildTimeoutMs, 'build (BUILD_TIMEOUT)');
  try {
    const signal = AbortSignal.any([...signals, timeout.signal]);
    return await deps.build({ source: event.data, application, log, signal });
  } finally {
    timeout.clear();
  }
}

/** `build.failed` for a build that never ran, with the reason in its log. */
function notBuilt(source: Source, failure: BuildFailure, logRef: string, log: BuildLog, app?: Application) {
  log.line(`not built: ${failure.message}`);
  return failedEvent(source.data, app, failure, NOTHING_RAN, logRef, log.redactor);
}

async function buildAndReport(event: Source, ctx: JobContext, deps: HandlerDeps, log: BuildLog) {
  const { app, pipelineId, commit } = event.data;
  const logRef = deps.dataDir.log(app, pipelineId).relative;
  const application = deps.apps.get(app);
  log.line(`== pipeline ${pipelineId}, attempt ${ctx.attempt}: ${app} at ${commit}`);
  const lease = await deps.supersede.claim(claimOf(event));
  try {
    // A newer push arrived while this one waited in the queue: it never starts, so it publishes no
    // build.started, only its one build.failed (docs/builder.md, "Superseded builds").
    if (lease.signal.aborted) return notBuilt(event, lease.signal.reason, logRef, log, application);
    await ctx.publish(startedEvent(event.data, application, logRef));
    if (!application) {
      const failure = new BuildFailure(`no application "${app}" in the application file`, 'invalid-config');
      return notBuilt(event, failure, logRef, log);
    }
    const outcome = await buildWithin(event, application, [ctx.signal, lease.signal], deps, log);
    return resultEvent(event.data, application, outcome, logRef, log.redactor);
  } finally {
    lease.release();
  }
}

/** Builds with its log open, then records the result once the log is closed. */
async function buildAndRecord(event: Source, ctx: JobContext, deps: HandlerDeps) {
  const { app, pipelineId } = event.data;
  const log = await BuildLog.open(deps.dataDir.log(app, pipelineId).path, {
    maxBytes: deps.logMaxBytes,
    redactor: deps.redactor,
  });
  // The log is closed before the result is recorded: a follower of the log stops once the record
  // exists, and must find every line already written (docs/builder.md, "Following a build log").
  const result = await buildAndReport(event, ctx, deps, log).finally(() => log.close());
  await deps.results.write(app, pipelineId, [result]);
  return result;
}

/**
 * The stage's handler for `source.received`. A pipeline with a recorded result republishes it
 * (same event ids) without building; one that a newer push of its branch superseded while it was
 * queued ends at once in `build.failed` (`superseded`); otherwise it publishes `build.started`,
 * builds, records the result and hands it to the stage runner to publish.
 */
export function createBuildHandler(deps: HandlerDeps): StageHandler<'source.received'> {
  const leases = deps.leases ?? new DataLeases(deps.dataDir.root);
  return async (event, ctx) => {
    const { app, pipelineId } = event.data;
    const recorded = await deps.results.read(app, pipelineId);
    if (recorded) {
      ctx.logger.info('pipeline already built; republishing its result');
      return recorded;
    }
    // Held from before the log exists until the result is recorded: the data collector keeps the
    // pipeline's workspace, layout, log and mirror meanwhile (docs/builder.md, "Data directory and
    // garbage collection").
    const repoURL = deps.apps.get(app)?.source.repoURL;
    const entries = pipelineEntries(deps.dataDir, app, pipelineId, repoURL);
    const result = await whileHeld(leases, entries, () => buildAndRecord(event, ctx, deps));
    deps.onResult?.(result);
    ctx.logger.info({ result: result.type, durationMs: result.data.durationMs }, 'build finished');
    return [result];
  };
}
