import { type AnyEvent, CloudEventEnvelope, eventNameOfType } from './envelope.js';
import { type EventName, eventCatalog } from './events/index.js';
import { ContractViolation, assertValid } from './validate.js';

function parseJson(input: Uint8Array | string): unknown {
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ContractViolation('event', [`not JSON: ${(err as Error).message}`]);
  }
}

/**
 * Validates an envelope and its data at a boundary. With `expected`, an event of another kind is
 * refused too, so a consumer bound to one subject never handles a payload it did not ask for.
 */
export function decodeEvent(input: Uint8Array | string | object, expected?: EventName): AnyEvent {
  const raw = typeof input === 'string' || input instanceof Uint8Array ? parseJson(input) : input;
  assertValid(CloudEventEnvelope, raw, 'event envelope');
  const envelope = raw as { type: string; data: unknown };
  const name = eventNameOfType(envelope.type);
  if (!name) throw new ContractViolation('event envelope', [`/type: unknown event type ${envelope.type}`]);
  if (expected && name !== expected) {
    throw new ContractViolation('event envelope', [`/type: expected ${expected}, got ${name}`]);
  }
  assertValid(eventCatalog[name], envelope.data, `${name} data`);
  return { name, event: raw } as AnyEvent;
}

export const encodeEvent = (event: object): Uint8Array => Buffer.from(JSON.stringify(event));
