import { AppError } from '@gitops/errors';

export const notFound = (message: string) =>
  new AppError('GITOPS_METRICS_NOT_FOUND', message, { statusCode: 404 });
