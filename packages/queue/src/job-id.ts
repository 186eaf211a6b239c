import { createHash } from 'node:crypto';
import type { GitopsEvent } from '@gitops/contracts';

// BullMQ refuses custom ids with ':' and ids that parse as integers; Redis keys prefer them short.
const SAFE_ID = /^[A-Za-z0-9._-]{1,200}$/;
const INTEGER = /^-?\d+$/;

/**
 * The job id of the work an event starts: the event id itself where BullMQ accepts it (event ids
 * are `<pipelineId>.<stage>.<event>`), else a hash of it. Deterministic, so a redelivered or
 * re-published event finds its job instead of adding a second one.
 */
export function jobIdFor(event: Pick<GitopsEvent, 'id'>): string {
  if (SAFE_ID.test(event.id) && !INTEGER.test(event.id)) return event.id;
  return `sha256-${createHash('sha256').update(event.id).digest('hex')}`;
}
