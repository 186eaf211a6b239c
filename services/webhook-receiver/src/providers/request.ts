import { AppError } from '@gitops/errors';
import type { WebhookRequest } from './types.js';

export type JsonObject = Record<string, unknown>;

export const JSON_MEDIA_TYPE = 'application/json';
export const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';

export const malformed = (message: string): AppError =>
  new AppError('GITOPS_WEBHOOK_MALFORMED', message, { statusCode: 400 });

/** A header's value, from the first of `names` (written as the provider documents them) that is present. */
export function header(request: WebhookRequest, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = request.headers[name.toLowerCase()]?.trim();
    if (value) return value;
  }
  return undefined;
}

export function requiredHeader(request: WebhookRequest, ...names: string[]): string {
  const value = header(request, ...names);
  if (value === undefined) throw malformed(`missing header ${names.join(' or ')}`);
  return value;
}

/** The `payload` field of a form body, where GitHub and Gitea put the JSON when asked for a form. */
export function formPayload(request: WebhookRequest): string | undefined {
  return new URLSearchParams(request.body.toString('utf8')).get('payload') ?? undefined;
}

const asObject = (value: unknown): JsonObject | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;

/** The request's JSON object, from the body or its form `payload`; 415 for a media type not in `accepted`. */
export function decodeBody(request: WebhookRequest, accepted: readonly string[]): JsonObject {
  if (!accepted.includes(request.contentType)) {
    throw new AppError(
      'GITOPS_WEBHOOK_UNSUPPORTED_MEDIA_TYPE',
      `content type "${request.contentType || '(none)'}" is not accepted here; send ${accepted.join(' or ')}`,
      { statusCode: 415 },
    );
  }
  const text = request.contentType === FORM_MEDIA_TYPE ? formPayload(request) : request.body.toString('utf8');
  if (text === undefined) throw malformed('form body has no "payload" field');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw malformed(`body is not valid JSON: ${(err as Error).message}`);
  }
  const object = asObject(value);
  if (object === undefined) throw malformed('body is not a JSON object');
  return object;
}

/** The value at a dotted path (`repository.links.html.href`, `changes.0.ref`), own properties only. */
export function at(root: unknown, path: string): unknown {
  let value = root;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as JsonObject)[key];
  }
  return value;
}

export function requiredString(root: unknown, path: string): string {
  const value = at(root, path);
  if (typeof value !== 'string' || value === '') {
    throw malformed(`field "${path}" is ${value === undefined ? 'missing' : 'not a non-empty string'}`);
  }
  return value;
}

/** The first non-empty string among `paths` under `root`. */
export function firstString(root: unknown, ...paths: string[]): string | undefined {
  for (const path of paths) {
    const value = at(root, path);
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}
