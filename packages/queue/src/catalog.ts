import type { EventName } from '@gitops/contracts';
import { AppError } from '@gitops/errors';
import type { StageHandlers } from './stage-options.js';

/**
 * Refuses a stage whose consumed events and handlers do not pair up one to one: an event without a
 * handler would be acked into jobs nobody runs, a handler without its event never runs.
 */
export function checkCatalog(service: string, consumes: readonly EventName[], handlers: StageHandlers): void {
  const problems: string[] = [];
  if (consumes.length === 0) problems.push('it consumes no event');
  const consumed = new Set<string>();
  for (const name of consumes) {
    if (consumed.has(name)) problems.push(`${name} is consumed twice`);
    consumed.add(name);
    if (typeof handlers[name] !== 'function') problems.push(`${name} has no handler`);
  }
  for (const name of Object.keys(handlers)) {
    if (!consumed.has(name)) problems.push(`the handler for ${name} has no consumed event`);
  }
  if (problems.length > 0) {
    throw new AppError('GITOPS_QUEUE_CATALOG_INVALID', `job catalog of ${service}: ${problems.join('; ')}`);
  }
}
