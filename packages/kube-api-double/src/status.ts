import type { ResourceType } from './resources.js';

// Status objects in the shape the real API server answers errors (and immediate deletions) with.

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  toStatus() {
    return failureStatus(this.code, this.reason, this.message, this.details);
  }
}

export const failureStatus = (code: number, reason: string, message: string, details?: StatusDetails) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason,
  ...(details ? { details } : {}),
  code,
});

export const successStatus = (type: ResourceType, name: string, uid?: string) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Success',
  details: { name, ...(type.group ? { group: type.group } : {}), kind: type.plural, ...(uid ? { uid } : {}) },
});

const qualified = (type: ResourceType) => (type.group ? `${type.plural}.${type.group}` : type.plural);
const details = (type: ResourceType, name: string): StatusDetails => ({
  name,
  ...(type.group ? { group: type.group } : {}),
  kind: type.plural,
});

export const notFound = (type: ResourceType, name: string) =>
  new ApiError(404, 'NotFound', `${qualified(type)} "${name}" not found`, details(type, name));

export const alreadyExists = (type: ResourceType, name: string) =>
  new ApiError(409, 'AlreadyExists', `${qualified(type)} "${name}" already exists`, details(type, name));

export const modifiedConflict = (type: ResourceType, name: string) =>
  new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(type)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    details(type, name),
  );

export const badRequest = (message: string) => new ApiError(400, 'BadRequest', message);

const REASONS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  410: 'Expired',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/** An error a test injected with failNext. */
export const injected = (code: number) =>
  new ApiError(
    code,
    REASONS[code] ?? 'Unknown',
    `injected by the Kubernetes API double: ${REASONS[code] ?? code}`,
    code === 429 ? { retryAfterSeconds: 1 } : undefined,
  );

export const invalidPatch = (message: string) =>
  new ApiError(422, 'Invalid', `the patch could not be applied: ${message}`);
