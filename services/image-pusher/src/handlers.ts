import type { Application } from '@gitops/config';
import type { AnyEvent, GitopsEvent } from '@gitops/contracts';
import { DataLeases, type LeaseHolder, whileHeld } from '@gitops/fs';
import type { JobContext, StageHandlers } from '@gitops/queue';
import { failedEvent, pushedEvent } from './events.js';
import type { BuildNumbers, ImageRegistry, PushPlan } from './ports.js';
import { type Signer, provenanceArtifact } from './provenance.js';
import { planPush, provenanceInput, unknownApp } from './push-plan.js';
import { tagBranch } from './tags.js';

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
  /** Called with every image.pushed (metrics). */
  onPushed?(event: GitopsEvent<'image.pushed'>): void;
}

/**
 * The build's layout, pushed while it is held in use: the builder's data collector sweeps this volume.
 * The lease names the layout as the event does (planPush refused it unless it is inside the data
 * directory); its real path differs when GITOPS_DATA_DIR is reached through a symlink.
 */
function pushHeld(deps: PusherDeps, event: GitopsEvent<'build.succeeded'>, plan: PushPlan) {
  const leases = deps.leases ?? new DataLeases(deps.dataDir);
  return whileHeld(leases, [event.data.image.layout], () => deps.registry.push(plan));
}

/** The pipeline's build number, for the image it pushes to the application's repository. */
function buildNumberOf(deps: PusherDeps, app: Application, event: GitopsEvent<'build.succeeded'>) {
  const { pipelineId, commit, source, image } = event.data;
  return deps.buildNumbers.allocate({
    app: app.name,
    pipelineId,
    repository: app.image.repository,
    digest: image.digest,
    branch: tagBranch(source),
    commit,
  });
}

/**
 * Pushes a build's image and attaches its provenance. Safe to run again for the same event: the build
 * number is the pipeline's (Redis or, after Redis lost it, the registry remembers it), blobs and tags
 * already there are skipped, the attestation is attached once.
 */
async function pushBuild(deps: PusherDeps, event: GitopsEvent<'build.succeeded'>, ctx: JobContext) {
  const now = deps.now ?? Date.now;
  const started = now();
  const app = deps.apps.get(event.data.app);
  if (!app) throw unknownApp(event.data.app);
  const buildNumber = await buildNumberOf(deps, app, event);
  const plan = await planPush(event, app, deps.dataDir, buildNumber);
  const outcome = await pushHeld(deps, event, plan);
  const artifact = provenanceArtifact(
    provenanceInput(event, plan.repository, buildNumber, deps.builderId),
    deps.signer,
  );
  const attached = await deps.registry.attach(plan.repository, outcome.subject, artifact);
  const pushed = pushedEvent(event, plan, outcome, {
    buildNumber,
    durationMs: now() - started,
    provenance: { ...attached, signed: artifact.signed },
  });
  const { repository, digest, tags, bytesUploaded, bytesSkipped, durationMs } = pushed.data;
  ctx.logger.info({ repository, digest, tags, bytesUploaded, bytesSkipped, durationMs }, 'image pushed');
  deps.onPushed?.(pushed);
  return [pushed];
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
