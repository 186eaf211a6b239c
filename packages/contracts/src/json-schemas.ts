import { CloudEventEnvelope } from './envelope.js';
import { eventCatalog, eventNames } from './events/index.js';

/** The JSON Schema documents users get in `schemas/`, one per event plus the envelope. */
export function jsonSchemas(): Record<string, object> {
  const out: Record<string, object> = {
    'envelope.v1.json': {
      $schema: 'http://json-schema.org/draft-07/schema#',
      $id: 'https://gitops.platform/schemas/envelope.v1.json',
      ...CloudEventEnvelope,
    },
  };
  for (const name of eventNames) {
    out[`${name}.v1.json`] = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      $id: `https://gitops.platform/schemas/${name}.v1.json`,
      title: `dev.gitops.${name}.v1 data`,
      ...eventCatalog[name],
    };
  }
  return out;
}
