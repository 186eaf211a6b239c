import type { AnyEvent } from '../../packages/contracts/src/index.js';

/**
 * A synthetic history: pipelines spread evenly over `days` up to `end`, `apps` applications in
 * turn, each pipeline ten events (push, build, image, config and deploy to staging, then to
 * production) unless its build fails (one in ten). Deterministic, so the COPY baseline gets the
 * very same rows. Envelopes are built directly (no schema validation: that is not what is measured).
 */
const DIGEST = `sha256:${'b'.repeat(64)}`;
const person = { name: 'Ada', email: 'ada@example.com' };
const sha = (n: number) => n.toString(16).padStart(40, '0');

function envelope(name: string, id: string, time: number, data: Record<string, unknown>): AnyEvent {
  const event = {
    specversion: '1.0',
    id,
    source: '/gitops/bench',
    type: `dev.gitops.${name}.v1`,
    subject: data.pipelineId,
    time: new Date(time).toISOString(),
    datacontenttype: 'application/json',
    data,
  };
  return { name, event } as unknown as AnyEvent;
}

function pipelineEvents(i: number, start: number, spacingMs: number, apps: number): AnyEvent[] {
  const app = `app-${String(i % apps).padStart(3, '0')}`;
  const pipelineId = `${app}-${i}`;
  const base = { pipelineId, app, commit: sha(i + 1) };
  const t = start + i * spacingMs;
  const min = 60_000;
  const buildMs = (60 + ((i * 7919) % 540)) * 1000;
  const failed = i % 10 === 3;
  const source = { repoURL: `http://git.test/${app}.git`, ref: 'refs/heads/main', branch: 'main' };
  const id = (name: string, env?: string) => (env ? `${pipelineId}.${name}.${env}` : `${pipelineId}.${name}`);
  const events = [
    envelope('source.received', id('source.received'), t + min, {
      ...base,
      provider: 'generic',
      deliveryId: `d-${i}`,
      repoURL: source.repoURL,
      ref: source.ref,
      branch: 'main',
      before: sha(i),
      after: base.commit,
      pusher: person,
      headCommit: {
        sha: base.commit,
        message: 'change',
        author: person,
        timestamp: new Date(t).toISOString(),
      },
    }),
    envelope('build.started', id('build.started'), t + 2 * min, { ...base, source }),
  ];
  const tests = { total: 100, failed: failed ? 2 : 0, skipped: 1 };
  const buildEnd = t + 2 * min + buildMs;
  if (failed) {
    events.push(
      envelope('build.failed', id('build.failed'), buildEnd, {
        ...base,
        durationMs: buildMs,
        steps: [],
        source,
        tests,
        reason: 'step-failed',
        error: { message: 'tests failed' },
      }),
    );
    return events;
  }
  events.push(
    envelope('build.succeeded', id('build.succeeded'), buildEnd, {
      ...base,
      durationMs: buildMs,
      steps: [],
      source,
      tests,
      coverage: { lines: 70 + (i % 30) / 2 },
      image: { digest: DIGEST, size: 1, layout: 'x' },
    }),
    envelope('image.pushed', id('image.pushed'), buildEnd + min, {
      ...base,
      repository: `r/${app}`,
      tags: ['t'],
      digest: DIGEST,
      bytesUploaded: 1,
      bytesSkipped: 0,
      durationMs: 30_000,
    }),
  );
  for (const [n, environment] of ['staging', 'production'].entries()) {
    const at = buildEnd + (2 + n * 60) * min;
    const configCommit = sha(i * 2 + n + 7);
    const deployFailed = environment === 'production' && i % 20 === 7;
    events.push(
      envelope('config.updated', id('config.updated', environment), at, {
        ...base,
        configRepoURL: 'c',
        environment,
        path: environment,
        image: `r/${app}@${DIGEST}`,
        configCommit,
      }),
      envelope('deploy.started', id('deploy.started', environment), at + min, {
        ...base,
        environment,
        configCommit,
      }),
      envelope(
        deployFailed ? 'deploy.failed' : 'deploy.succeeded',
        id(deployFailed ? 'deploy.failed' : 'deploy.succeeded', environment),
        at + 3 * min,
        {
          ...base,
          environment,
          configCommit,
          trigger: 'config.updated',
          applied: [],
          pruned: [],
          unchanged: 0,
          health: deployFailed ? 'Degraded' : 'Healthy',
          durationMs: 120_000,
          ...(deployFailed ? { error: { message: 'x' } } : {}),
        },
      ),
    );
  }
  return events;
}

/** Batches of `size` events until `total` events: the same sequence every call. */
export function* eventBatches(
  total: number,
  size: number,
  options: { apps: number; days: number; end: number },
) {
  // 9.1 events per pipeline on average (one build in ten fails after three).
  const pipelines = Math.ceil(total / 9.1);
  const spacingMs = (options.days * 86_400_000) / pipelines;
  const start = options.end - options.days * 86_400_000;
  let batch: AnyEvent[] = [];
  let count = 0;
  for (let i = 0; count < total; i++) {
    for (const event of pipelineEvents(i, start, spacingMs, options.apps)) {
      if (count === total) break;
      batch.push(event);
      count += 1;
      if (batch.length === size) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield batch;
}

const csvField = (value: string | null) => (value === null ? '' : `"${value.replaceAll('"', '""')}"`);

/** The rows writeBatch stores in `events`, as CSV for COPY (id, name, app, pipeline_id, environment, time, envelope). */
export const csvRows = (batch: AnyEvent[]) =>
  batch
    .map(({ name, event }) => {
      const data = event.data as { app: string; pipelineId: string; environment?: string };
      return [
        event.id,
        name,
        data.app,
        data.pipelineId,
        data.environment ?? null,
        event.time,
        JSON.stringify(event),
      ]
        .map(csvField)
        .join(',');
    })
    .join('\n')
    .concat('\n');
