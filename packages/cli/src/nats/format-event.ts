import { decodeEvent } from '@gitops/contracts';
import type { Paint } from '../colour.js';

const SHOWN_FIELDS = ['branch', 'commit', 'digest', 'configCommit', 'health', 'reason'];

/** One readable line for an event: time, subject, pipeline, and the fields a person looks for. */
export function formatEvent(subject: string, raw: Uint8Array, paint: Paint): string {
  try {
    const { event } = decodeEvent(raw);
    const data = event.data as Record<string, unknown>;
    const extra = SHOWN_FIELDS.filter((k) => data[k] !== undefined).map((k) => `${k}=${String(data[k])}`);
    const shownSubject = subject.endsWith('.failed') ? paint.red(subject) : subject;
    return `${paint.dim(event.time)} ${shownSubject} ${event.subject} ${extra.join(' ')}`.trim();
  } catch (err) {
    return `${subject} ${paint.red(`(invalid event: ${(err as Error).message})`)}`;
  }
}

/** The event as one JSON line (its envelope as stored), or `{subject, invalid}` for what is not JSON. */
export function jsonLine(subject: string, raw: Uint8Array): string {
  try {
    return JSON.stringify(JSON.parse(Buffer.from(raw).toString('utf8')));
  } catch (err) {
    return JSON.stringify({ subject, invalid: (err as Error).message });
  }
}

/** The pipeline an event belongs to, read without validating the rest of it. */
export function pipelineOf(raw: Uint8Array): string | undefined {
  try {
    const event = JSON.parse(Buffer.from(raw).toString('utf8')) as { data?: { pipelineId?: unknown } };
    return typeof event.data?.pipelineId === 'string' ? event.data.pipelineId : undefined;
  } catch {
    return undefined;
  }
}
