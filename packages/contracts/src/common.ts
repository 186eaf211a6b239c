import { type TSchema, Type } from '@sinclair/typebox';
import { TEXT_LIMITS } from './text.js';

/** An application name: a DNS label, because it is one token of every NATS subject. */
export const AppName = Type.String({ pattern: '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$', maxLength: 63 });
export const Sha = Type.String({
  pattern: '^[0-9a-f]{40}([0-9a-f]{24})?$',
  description: 'a full git object id',
});
export const Digest = Type.String({ pattern: '^sha256:[0-9a-f]{64}$' });
export const Timestamp = Type.String({ format: 'date-time', description: 'RFC 3339' });
export const Person = Type.Object({
  name: Type.String({ maxLength: TEXT_LIMITS.personName }),
  email: Type.String({ maxLength: TEXT_LIMITS.personEmail }),
});

/** The fields every pipeline event carries (docs/events.md). */
export const pipelineFields = {
  pipelineId: Type.String({ minLength: 1, maxLength: 128 }),
  app: AppName,
  commit: Sha,
};

/** Schemas are open for reading: v1 only grows by optional fields, and readers ignore what they do not know. */
export const eventData = <P extends Record<string, TSchema>>(props: P) =>
  Type.Object({ ...pipelineFields, ...props }, { additionalProperties: true });

/** Why a stage failed: a message a person can act on, and the step it failed in where there are steps. */
export const StageError = Type.Object({ message: Type.String(), step: Type.Optional(Type.String()) });

/** The fields that tie an event to its pipeline, copied from the event a stage consumed onto the ones it publishes. */
export const pipelineOf = ({
  pipelineId,
  app,
  commit,
}: { pipelineId: string; app: string; commit: string }) => ({
  pipelineId,
  app,
  commit,
});
