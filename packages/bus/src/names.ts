import { DEAD_LETTER_PREFIX, type EventName } from '@gitops/contracts';

/**
 * The durable consumer name of one service's stage for one kind of event: `<service>--<stage>-<event>`
 * (NATS names allow no dots). Replicas of a service share it, so JetStream splits the work.
 */
export const durableName = (service: string, event: EventName) => `${service}--${event.replace('.', '-')}`;

/** Where a consumer parks the messages it gave up on: one subject per durable, outside `gitops.v1.>`. */
export const deadLetterSubject = (durable: string) => `${DEAD_LETTER_PREFIX}.${durable}`;

/** Headers a dead-lettered message carries beside its original data and headers. */
export const DeadLetterHeaders = {
  reason: 'Gitops-Dead-Letter-Reason',
  error: 'Gitops-Dead-Letter-Error',
  subject: 'Gitops-Original-Subject',
  sequence: 'Gitops-Original-Sequence',
  deliveries: 'Gitops-Delivery-Count',
  consumer: 'Gitops-Consumer',
} as const;

/** Why a message was dead-lettered: it never decoded, its handler said so, or it used up its deliveries. */
export type DeadLetterReason = 'invalid-payload' | 'dropped' | 'max-deliveries';
