import { AppError } from '@gitops/errors';

/** The registry error codes (distribution spec `errors[].code`) joined into one line, when the body has them. */
export function describeRegistryBody(body: Buffer | string | undefined): string {
  if (!body || body.length === 0) return '';
  try {
    const parsed = JSON.parse(body.toString()) as { errors?: { code?: string; message?: string }[] };
    const errors = (parsed.errors ?? []).map((e) => [e.code, e.message].filter(Boolean).join(' '));
    return errors.length > 0 ? `: ${errors.join('; ')}` : '';
  } catch {
    return `: ${body.toString().slice(0, 200)}`;
  }
}

/**
 * The error for an answer the protocol did not expect. 401/403/404 get their own codes and name the
 * repository, since the fix (credentials, permissions, the application's image.repository) is a person's.
 */
export function registryError(
  status: number,
  repository: string,
  what: string,
  body?: Buffer | string,
): AppError {
  const detail = describeRegistryBody(body);
  switch (status) {
    case 401:
      return new AppError(
        'GITOPS_REGISTRY_UNAUTHORIZED',
        `${what}: the registry refused the credentials for ${repository} (401); check REGISTRY_USERNAME/REGISTRY_PASSWORD${detail}`,
        { statusCode: 401 },
      );
    case 403:
      return new AppError(
        'GITOPS_REGISTRY_FORBIDDEN',
        `${what}: access to ${repository} is denied (403)${detail}`,
        {
          statusCode: 403,
        },
      );
    case 404:
      return new AppError('GITOPS_REGISTRY_NOT_FOUND', `${what}: ${repository}: not found (404)${detail}`, {
        statusCode: 404,
      });
    default:
      return new AppError(
        'GITOPS_REGISTRY_PROTOCOL',
        `${what}: ${repository}: unexpected answer ${status}${detail}`,
        {
          statusCode: 502,
        },
      );
  }
}
