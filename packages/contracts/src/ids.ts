import { createHash } from 'node:crypto';

/**
 * A pipeline id derived from the delivery that started it: a redelivered webhook (GitHub retries up
 * to three days later) maps to the same pipeline, and its event to the same Nats-Msg-Id.
 */
export function pipelineIdFor(app: string, provider: string, deliveryId: string): string {
  const hash = createHash('sha256').update(`${provider}\n${deliveryId}`).digest('hex');
  return `${app}-${hash.slice(0, 16)}`;
}
