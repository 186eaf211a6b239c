import { AppError, describeError } from '@gitops/errors';

/**
 * The registry stayed unavailable for the whole REGISTRY_RETRY_BUDGET: final, since another job attempt
 * would only spend the budget again (docs/image-pusher.md, "Registry outages").
 */
export const registryOutage = (cause: AppError) =>
  new AppError(
    'GITOPS_IMAGE_REGISTRY_OUTAGE',
    `the registry stayed unavailable for the whole REGISTRY_RETRY_BUDGET; giving up: ${describeError(cause)}`,
    { statusCode: 503, cause },
  );

/** A registry client's error that ends the retries of one request (connection refused, 5xx, …). */
export const isRegistryUnavailable = (err: unknown): err is AppError =>
  err instanceof AppError && err.code === 'GITOPS_REGISTRY_UNAVAILABLE';
