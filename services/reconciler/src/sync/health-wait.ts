import { syncInterrupted } from '../errors.js';
import { type Health, type HealthStatus, healthOf, worstOf } from '../health/health.js';
import { type KubeObject, keyOf, refOf } from '../manifests/objects.js';
import type { Cluster } from '../ports.js';
import { liveObjects } from './live.js';

export interface ResourceHealth {
  resource: string;
  health: HealthStatus;
  message?: string;
}

export interface HealthReport {
  health: HealthStatus;
  resources: ResourceHealth[];
  message?: string;
}

/** The health of every desired object now, from the caches. */
export async function currentHealth(cluster: Cluster, desired: readonly KubeObject[]): Promise<HealthReport> {
  const live = await liveObjects(cluster, desired.map(refOf));
  const resources = desired.map((object) => {
    const key = keyOf(refOf(object));
    const health: Health = healthOf(live.get(key));
    return { resource: key, health: health.status, ...(health.message ? { message: health.message } : {}) };
  });
  const health = worstOf(resources.map((resource) => resource.health));
  const worst = resources.find((resource) => resource.health === health && resource.message);
  return { health, resources, ...(worst ? { message: `${worst.resource}: ${worst.message}` } : {}) };
}

/**
 * Waits until the objects are Healthy or one is Degraded; past `timeoutMs` (the progress deadline)
 * what is still Progressing or Missing counts as Degraded. An abort (shutdown) is not a verdict on
 * the rollout: it throws a retryable interruption, never Degraded (which would fail the deploy and
 * could roll it back).
 */
export async function waitHealthy(
  cluster: Cluster,
  desired: readonly KubeObject[],
  { timeoutMs, pollMs, signal }: { timeoutMs: number; pollMs: number; signal?: AbortSignal },
): Promise<HealthReport> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const report = await currentHealth(cluster, desired);
    if (report.health === 'Healthy' || report.health === 'Degraded') return report;
    if (signal?.aborted) throw syncInterrupted();
    if (Date.now() >= deadline) {
      return {
        ...report,
        health: 'Degraded',
        message: `progress deadline of ${Math.round(timeoutMs / 1000)}s exceeded: ${report.message ?? report.health}`,
      };
    }
    await sleep(pollMs, signal);
  }
}

const sleep = (ms: number, signal: AbortSignal | undefined) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
