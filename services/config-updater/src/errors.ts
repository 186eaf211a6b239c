import { AppError } from '@gitops/errors';

/** The config repository cannot take the edit (a missing path, a broken file): retrying cannot fix it. */
export const editFailed = (path: string, problem: string) =>
  new AppError('GITOPS_CONFIG_EDIT_FAILED', `cannot pin the image in ${path}: ${problem}`, {
    statusCode: 422,
  });

/** The digest was rolled back and stays out of every environment until a person releases it. */
export const quarantined = (image: string) =>
  new AppError('GITOPS_CONFIG_QUARANTINED', `${image} is quarantined (rolled back); release it first`, {
    statusCode: 409,
  });

export const unknownApp = (app: string) =>
  new AppError('GITOPS_CONFIG_UNKNOWN_APP', `no application ${app} in GITOPS_APPS`, { statusCode: 404 });

export const unknownEnvironment = (app: string, environment: string) =>
  new AppError('GITOPS_CONFIG_UNKNOWN_ENVIRONMENT', `application ${app} has no environment ${environment}`, {
    statusCode: 404,
  });

export const nothingWaiting = (app: string, environment: string) =>
  new AppError('GITOPS_CONFIG_NOTHING_WAITING', `nothing waits for promotion to ${app}/${environment}`, {
    statusCode: 409,
  });

/** Other writers kept winning the race (or the server kept refusing) for every attempt of one job. */
export const pushFailed = (branch: string, attempts: number, reason: string) =>
  new AppError(
    'GITOPS_CONFIG_PUSH_FAILED',
    `the push to ${branch} failed ${attempts} times; last: ${reason}`,
    { retryable: true, statusCode: 503 },
  );
