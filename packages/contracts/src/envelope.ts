import { type Static, Type } from '@sinclair/typebox';
import { type EventName, eventCatalog, isEventName } from './events/index.js';
import { assertValid } from './validate.js';

export const CloudEventEnvelope = Type.Object(
  {
    specversion: Type.Literal('1.0'),
    id: Type.String({ minLength: 1 }),
    source: Type.String({ pattern: '^/gitops/[a-z0-9-]+$' }),
    type: Type.String({ pattern: '^dev\\.gitops\\.[a-z]+\\.[a-z]+\\.v1$' }),
    subject: Type.String({ minLength: 1 }),
    time: Type.String({ format: 'date-time' }),
    datacontenttype: Type.Literal('application/json'),
    data: Type.Unknown(),
  },
  { additionalProperties: true },
);

export type EventData<N extends EventName> = Static<(typeof eventCatalog)[N]>;

/** A CloudEvents 1.0 structured envelope whose `data` is the schema of event N. */
export interface GitopsEvent<N extends EventName = EventName> {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  data: EventData<N>;
}

/** Any event, discriminated by its name, so a switch on `name` narrows `event.data`. */
export type AnyEvent = { [N in EventName]: { name: N; event: GitopsEvent<N> } }[EventName];

export const eventType = (name: EventName) => `dev.gitops.${name}.v1`;

export function eventNameOfType(type: string): EventName | undefined {
  const match = /^dev\.gitops\.([a-z]+\.[a-z]+)\.v1$/.exec(type);
  return match?.[1] && isEventName(match[1]) ? match[1] : undefined;
}

/**
 * The id of the one event of kind `name` that a pipeline can have, per environment for the stages
 * that run once in each. Deterministic, so a retried or replayed handler publishes the same id again
 * and JetStream (Nats-Msg-Id) stores it once.
 */
export const eventId = (pipelineId: string, name: EventName, environment?: string) =>
  environment === undefined ? `${pipelineId}.${name}` : `${pipelineId}.${name}.${environment}`;

const environmentOf = (data: unknown) => {
  const environment = (data as { environment?: unknown }).environment;
  return typeof environment === 'string' ? environment : undefined;
};

export interface CreateEventInput<N extends EventName> {
  name: N;
  service: string;
  data: EventData<N>;
  id?: string;
  time?: Date;
}

/** Builds and validates an envelope; an invalid one is a bug in the producer, so it throws. */
export function createEvent<N extends EventName>(input: CreateEventInput<N>): GitopsEvent<N> {
  assertValid(eventCatalog[input.name], input.data, `${input.name} data`);
  return {
    specversion: '1.0',
    id: input.id ?? eventId(input.data.pipelineId, input.name, environmentOf(input.data)),
    source: `/gitops/${input.service}`,
    type: eventType(input.name),
    subject: input.data.pipelineId,
    time: (input.time ?? new Date()).toISOString(),
    datacontenttype: 'application/json',
    data: input.data,
  };
}
