/**
 * The one error type the platform throws on purpose. `code` is stable and documented
 * (GITOPS_<AREA>_<WHAT>), `retryable` tells a queue or consumer whether trying again can help,
 * and `statusCode` is what an HTTP boundary answers.
 */
export class AppError extends Error {
  override name = 'AppError';
  readonly code: string;
  readonly retryable: boolean;
  readonly statusCode: number;

  constructor(
    code: string,
    message: string,
    options: { retryable?: boolean; statusCode?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.statusCode = options.statusCode ?? 500;
  }
}

export const isAppError = (err: unknown): err is AppError => err instanceof AppError;
