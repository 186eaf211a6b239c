import type { Application, Environment } from '@gitops/config';
import type { GitopsEvent } from '@gitops/contracts';
import { rollbackCompleted } from '../events.js';
import type { ConfigRepo, StateStore } from '../ports.js';

export interface RollbackDeps {
  repo: ConfigRepo;
  store: StateStore;
  publish(event: GitopsEvent): Promise<void>;
}

export interface RollbackAsk {
  app: Application;
  environment: Environment;
  to: string;
  /** The API token's name, or `reconciler` for an automatic rollback. */
  by: string;
  reason?: string;
}

/**
 * Rolls an environment back through Git: one commit restoring its path to `to`, pushed to its branch,
 * so Git stays the source of truth and no sync fights it; then rollback.completed naming the image
 * that was live (the config updater quarantines it). The sync that follows is the caller's.
 */
export async function rollback(
  deps: RollbackDeps,
  ask: RollbackAsk,
): Promise<GitopsEvent<'rollback.completed'>> {
  const { app, environment } = ask;
  const status = await deps.store.status(app.name, environment.name);
  const reason = ask.reason ?? `rollback requested by ${ask.by}`;
  const { from, commit } = await deps.repo.revertTo({
    app: app.name,
    branch: environment.branch,
    path: environment.path,
    to: ask.to,
    by: ask.by,
    reason,
  });
  const event = rollbackCompleted({
    pipelineId: `${app.name}-rollback-${commit.slice(0, 12)}-${environment.name}`,
    app: app.name,
    environment: environment.name,
    from: status?.configCommit ?? from,
    to: ask.to,
    configCommit: commit,
    image: status?.image ?? 'unknown',
    by: ask.by,
    reason,
  });
  await deps.publish(event);
  return event;
}
