import { apiClient, apiFlags } from '../api/client.js';
import type { Io } from '../io.js';

const METRICS = {
  name: 'metrics service',
  flag: 'metrics-url' as const,
  variable: 'GITOPS_METRICS_URL',
  fallback: 'http://127.0.0.1:8090',
};

/** The flags every metrics command takes. */
export const metricsFlags = apiFlags(METRICS);

export interface MetricsArgs {
  metricsUrl?: string | undefined;
  token?: string | undefined;
}

/** GETs a metrics API path as JSON. */
export const getMetrics = <T>(args: MetricsArgs, path: string, io: Io): Promise<T> =>
  apiClient(METRICS, { url: args.metricsUrl, token: args.token }, io).request<T>('GET', path);
