import { type AnyEvent, type EventData, type EventName, createEvent } from '@gitops/contracts';

/** Fixture event histories with times chosen by the test, so expected metrics can be computed by hand. */

const person = { name: 'Ada', email: 'ada@example.com' };
const DIGEST = `sha256:${'a'.repeat(64)}`;
export const sha = (n: number) => n.toString(16).padStart(40, '0');
export const at = (iso: string) => new Date(iso);
const plus = (time: Date, ms: number) => new Date(time.getTime() + ms);
const MIN = 60_000;

const event = <N extends EventName>(name: N, time: Date, data: EventData<N>): AnyEvent =>
  ({ name, event: createEvent({ name, service: 'test', time, data }) }) as AnyEvent;

export interface PipelineFacts {
  app: string;
  id: string;
  commit: number;
  /** The head commit's time. */
  committed: Date;
  branch?: string;
}

/** A pipeline's events one by one; each returns the events so tests can compose histories. */
export function pipeline(facts: PipelineFacts) {
  const base = { pipelineId: facts.id, app: facts.app, commit: sha(facts.commit) };
  const branch = facts.branch ?? 'main';
  const source = { repoURL: `http://git.test/${facts.app}.git`, ref: `refs/heads/${branch}`, branch };
  const configCommit = (env: string) => sha(facts.commit * 1000 + env.length);
  return {
    received: (time: Date) =>
      event('source.received', time, {
        ...base,
        provider: 'generic',
        deliveryId: `${facts.id}-delivery`,
        repoURL: source.repoURL,
        ref: source.ref,
        branch,
        before: '0'.repeat(40),
        after: base.commit,
        pusher: person,
        headCommit: {
          sha: base.commit,
          message: 'change',
          author: person,
          timestamp: facts.committed.toISOString(),
        },
      }),
    buildStarted: (time: Date) => event('build.started', time, { ...base, source }),
    buildSucceeded: (
      end: Date,
      durationMs: number,
      extra: { coverage?: number; tests?: [number, number, number] } = {},
    ) =>
      event('build.succeeded', end, {
        ...base,
        durationMs,
        steps: [],
        source,
        image: { digest: DIGEST, size: 1, layout: 'layouts/x' },
        ...(extra.coverage === undefined ? {} : { coverage: { lines: extra.coverage } }),
        ...(extra.tests
          ? { tests: { total: extra.tests[0], failed: extra.tests[1], skipped: extra.tests[2] } }
          : {}),
      }),
    buildFailed: (end: Date, durationMs: number, reason: string, tests?: [number, number, number]) =>
      event('build.failed', end, {
        ...base,
        durationMs,
        steps: [],
        source,
        reason,
        error: { message: 'failed' },
        ...(tests ? { tests: { total: tests[0], failed: tests[1], skipped: tests[2] } } : {}),
      }),
    imagePushed: (end: Date) =>
      event('image.pushed', end, {
        ...base,
        repository: `registry.test/${facts.app}`,
        tags: ['main-1'],
        digest: DIGEST,
        bytesUploaded: 1,
        bytesSkipped: 0,
        durationMs: MIN,
      }),
    configUpdated: (time: Date, environment: string) =>
      event('config.updated', time, {
        ...base,
        configRepoURL: 'http://git.test/config.git',
        environment,
        path: `envs/${environment}`,
        image: `registry.test/${facts.app}@${DIGEST}`,
        configCommit: configCommit(environment),
      }),
    promotion: (decision: 'requested' | 'approved' | 'rejected', time: Date, to: string, by?: string) =>
      event(`promotion.${decision}`, time, {
        ...base,
        environment: to,
        from: 'staging',
        to,
        image: `registry.test/${facts.app}@${DIGEST}`,
        ...(by ? { by } : {}),
      }),
    deployed: (
      end: Date,
      environment: string,
      outcome: 'succeeded' | 'failed' = 'succeeded',
      trigger = 'config.updated',
    ) =>
      event(`deploy.${outcome}`, end, {
        ...base,
        environment,
        configCommit: configCommit(environment),
        trigger,
        applied: [],
        pruned: [],
        unchanged: 0,
        health: outcome === 'succeeded' ? 'Healthy' : 'Degraded',
        durationMs: 2 * MIN,
        ...(outcome === 'failed' ? { error: { message: 'unhealthy' } } : {}),
      } as EventData<'deploy.succeeded'>),
    rolledBack: (time: Date, environment: string, by = 'alice') =>
      event('rollback.completed', time, {
        pipelineId: `${facts.id}-rollback`,
        app: facts.app,
        environment,
        from: configCommit(environment),
        to: sha(1),
        configCommit: sha(facts.commit * 1000 + 999),
        image: `registry.test/${facts.app}@${DIGEST}`,
        by,
      }),
  };
}

/** A whole successful pipeline: pushed `leadMin` minutes before its deploy to `environment` succeeded. */
export function deliveredPipeline(facts: PipelineFacts, environment: string, deployedAt: Date) {
  const p = pipeline(facts);
  const received = plus(facts.committed, MIN);
  return [
    p.received(received),
    p.buildStarted(plus(received, MIN)),
    p.buildSucceeded(plus(received, 5 * MIN), 4 * MIN),
    p.imagePushed(plus(received, 6 * MIN)),
    p.configUpdated(plus(received, 7 * MIN), environment),
    p.deployed(deployedAt, environment),
  ];
}

export const minutes = (n: number) => n * MIN;
export { plus };
