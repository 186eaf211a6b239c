import { AppError } from '@gitops/errors';

/** Rendering failed: kustomize's own message or the file that is not a manifest. Final for this commit. */
export const renderFailed = (message: string, cause?: unknown) =>
  new AppError('GITOPS_RECONCILE_RENDER_FAILED', message, { statusCode: 422, cause });

/** The rendered manifests break one of the application's guard rails (namespace, cluster scope, size). */
export const guardRefused = (problems: string[]) =>
  new AppError('GITOPS_RECONCILE_GUARD_REFUSED', `refused: ${problems.join('; ')}`, { statusCode: 422 });

/** No API server answers: the reconciler keeps rendering and reports status Unknown. */
export const clusterUnavailable = (reason: string, cause?: unknown) =>
  new AppError('GITOPS_RECONCILE_CLUSTER_UNAVAILABLE', `the cluster is not reachable: ${reason}`, {
    statusCode: 503,
    retryable: true,
    cause,
  });

/**
 * The service is stopping (or the job was cancelled) while a sync waited for health: the outcome is
 * not known, so no deploy event is published and the job is left to be retried.
 */
export const syncInterrupted = () =>
  new AppError('GITOPS_RECONCILE_INTERRUPTED', 'the sync was interrupted while waiting for health', {
    statusCode: 503,
    retryable: true,
  });

/** Another field manager owns a field Git sets, and the application does not force conflicts. */
export const applyConflict = (resource: string, managers: string[], message: string) =>
  new AppError(
    'GITOPS_RECONCILE_CONFLICT',
    `${resource}: fields are owned by ${managers.join(', ') || 'another manager'} (${message}); set syncPolicy.forceConflicts to take them over`,
    { statusCode: 409 },
  );

export const unknownApp = (name: string) =>
  new AppError('GITOPS_RECONCILE_UNKNOWN_APP', `no application ${JSON.stringify(name)}`, { statusCode: 404 });

export const unknownEnvironment = (app: string, environment: string) =>
  new AppError(
    'GITOPS_RECONCILE_UNKNOWN_ENVIRONMENT',
    `application ${app} has no environment ${JSON.stringify(environment)}`,
    {
      statusCode: 404,
    },
  );

/** The API server refused an object (invalid, forbidden): retrying the same manifests cannot help. */
export const applyRefused = (resource: string, status: number, message: string) =>
  new AppError('GITOPS_RECONCILE_APPLY_REFUSED', `${resource}: ${status} ${message}`, {
    statusCode: 422,
    // A kind not found yet: its CRD was applied a moment ago and is being established.
    retryable: status === 404,
  });
