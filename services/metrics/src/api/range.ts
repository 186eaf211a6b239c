import { AppError } from '@gitops/errors';

const DAY = 86_400_000;

export const badRequest = (message: string) =>
  new AppError('GITOPS_METRICS_BAD_REQUEST', message, { statusCode: 400 });

/** from/to of a query (default the 30 days up to now); a range that ends before it starts is refused. */
export function rangeOf(query: { from?: string | undefined; to?: string | undefined }, now = new Date()) {
  const to = query.to ? new Date(query.to) : now;
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY);
  if (from >= to) throw badRequest(`from (${from.toISOString()}) must be before to (${to.toISOString()})`);
  return { from, to };
}
