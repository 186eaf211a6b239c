import { envFlag, flagValue, httpUrl } from '../flags.js';
import type { Io } from '../io.js';

const DEFAULT_URL = 'http://127.0.0.1:8090';

/** The flags every metrics command takes. */
export const metricsFlags = {
  'metrics-url': envFlag("the metrics service's HTTP address", 'GITOPS_METRICS_URL', DEFAULT_URL),
  token: envFlag("a token of the metrics service's GITOPS_API_TOKENS_FILE", 'GITOPS_API_TOKEN'),
};

export interface MetricsArgs {
  metricsUrl?: string | undefined;
  token?: string | undefined;
}

/** GETs a metrics API path as JSON; a non-2xx answer throws its `message`. */
export async function getMetrics<T>(args: MetricsArgs, path: string, io: Io): Promise<T> {
  const base = flagValue('metrics-url', args.metricsUrl, httpUrl(DEFAULT_URL), io, 'GITOPS_METRICS_URL');
  const token = args.token?.trim() || io.env.GITOPS_API_TOKEN?.trim();
  let response: Response;
  try {
    response = await fetch(new URL(path, base), {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  } catch (err) {
    throw new Error(`the metrics service at ${base} does not answer (${(err as Error).message})`);
  }
  const body = (await response.json().catch(() => ({}))) as T & { message?: string };
  if (!response.ok) throw new Error(body.message ?? `the metrics service answered ${response.status}`);
  return body;
}
