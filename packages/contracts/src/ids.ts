import { createHash } from 'node:crypto';

/** A push to one ref: the ref and the commits it moved from and to. */
export interface RefMove {
  ref: string;
  before: string;
  after: string;
}

/**
 * The pipeline a push starts for one application: `<app>-<16 hex digits>`, derived from the
 * application and the ref move, never from the delivery id. So a webhook resent later, even under a
 * fresh delivery id, or the same push reported by two providers, maps to the same pipeline and its
 * event to the same Nats-Msg-Id, which JetStream refuses within its duplicate window. An application
 * name is a DNS label, so the id is safe as a path segment and as one NATS subject token.
 */
export function pipelineIdFor(app: string, move: RefMove): string {
  const hash = createHash('sha256')
    .update(JSON.stringify([move.ref, move.before, move.after]))
    .digest('hex');
  return `${app}-${hash.slice(0, 16)}`;
}
