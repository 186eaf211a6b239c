import { relative, resolve } from 'node:path';
import type { Application } from '@gitops/config';
import type { AnyEvent, GitopsEvent } from '@gitops/contracts';
import { DataLeases, type LeaseHolder, whileHeld } from '@gitops/fs';
import type { JobContext, StageHandlers } from '@gitops/queue';
import { failedEvent, pushedEvent } from './events.js';
import type { BuildNumbers, ImageRegistry } from './ports.js';
import { type Signer, provenanceArtifact } from './provenance.js';
import { planPush, provenanceInput, unknownApp } from './push-plan.js';

export interface PusherDeps {
  apps: ReadonlyMap<string, Application>;
  /** GITOPS_DATA_DIR: build.succeeded names its layout relative to it. */
  dataDir: string;
  registry: ImageRegistry;
  buildNumbers: BuildNumbers;
  builderId: string;
  /** Signs the provenance (a DSSE envelope) when configured. */
  signer?: Signer;
  now?: () => number;
  /** Marks the layout in use while it is pushed (docs/builder.md); default: leases under `dataDir`. */
  leases?: LeaseHolder;
}

/**
 * Pushes a build's image and attaches its provenance. Safe to run again for the same event: the build
 * number is the pipeline's, blobs and tags already there are skipped, the attestation is attached once.
 */
async function pushBuild(deps: PusherDeps, event: GitopsEvent<'build.succeeded'>, ctx: JobContext) {
  const now = deps.now ?? Date.now;
  const started = now();
  const app = deps.apps.get(event.data.app);
  if (!app) throw unknownApp(event.data.app);
  const buildNumber = await deps.buildNumbers.allocate(app.name, event.data.pipelineId);
  const plan = await planPush(event, app, deps.dataDir, buildNumber);
  // The builder's data collector sweeps this volume: the layout is held in use while it is read.
  const layout = relative(resolve(deps.dataDir), plan.layoutDir);
  const leases = deps.leases ?? new DataLeases(deps.dataDir);
  const outcome = await whileHeld(leases, [layout], () => deps.registry.push(plan));
  const artifact = provenanceArtifact(
    provenanceInput(event, plan.repository, buildNumber, deps.builderId),
    deps.signer,
  );
  const attached = await deps.registry.attach(plan.repository, outcome.subject, artifact);
  const durationMs = now() - started;
  ctx.logger.info(
    {
      repository: plan.repository,
      digest: outcome.subject.digest,
      tags: outcome.tags,
      bytesUploaded: outcome.bytesUploaded,
      bytesSkipped: outcome.bytesSkipped,
      durationMs,
    },
    'image pushed',
  );
  return [
    pushedEvent(event, plan, outcome, {
      buildNumber,
      durationMs,
      provenance: { ...attached, signed: artifact.signed },
    }),
  ];
}

export const pusherHandlers = (deps: PusherDeps): StageHandlers => ({
  'build.succeeded': (event, ctx) => pushBuild(deps, event, ctx),
});

/** image.failed once a push has no attempts left, or failed for a reason retrying cannot fix. */
export const pusherExhausted =
  (deps: PusherDeps) =>
  (consumed: AnyEvent, err: unknown): GitopsEvent[] => {
    if (consumed.name !== 'build.succeeded') return [];
    const repository = deps.apps.get(consumed.event.data.app)?.image.repository ?? '';
    return [failedEvent(consumed.event, repository, err, (deps.now ?? Date.now)())];
  };
