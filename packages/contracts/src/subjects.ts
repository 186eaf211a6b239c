import { type EventName, isEventName } from './events/index.js';

export const STREAM_NAME = 'GITOPS';
export const SUBJECT_PREFIX = 'gitops.v1';
/** Where a consumer parks events it gave up on, outside `gitops.v1.>` so no stage consumes them. */
export const DEAD_LETTER_PREFIX = 'gitops.dlq';

export const subjectFor = (app: string, name: EventName) => `${SUBJECT_PREFIX}.${app}.${name}`;

/** The filter for one kind of event across applications, or for one application. */
export const subjectFilter = (name: EventName, app = '*') => `${SUBJECT_PREFIX}.${app}.${name}`;

export interface ParsedSubject {
  app: string;
  name: EventName;
}

export function parseSubject(subject: string): ParsedSubject | undefined {
  const parts = subject.split('.');
  if (parts.length !== 5 || `${parts[0]}.${parts[1]}` !== SUBJECT_PREFIX) return undefined;
  const name = `${parts[3]}.${parts[4]}`;
  return parts[2] && isEventName(name) ? { app: parts[2], name } : undefined;
}
