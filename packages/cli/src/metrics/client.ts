import { apiClient, apiFlags, serviceApi } from '../api/client.js';
import type { Io } from '../io.js';

const METRICS = serviceApi('metrics service', 'metrics-url', 'GITOPS_METRICS_URL', 8090);

/** The flags every metrics command takes. */
export const metricsFlags = apiFlags(METRICS);

export interface MetricsArgs {
  metricsUrl?: string | undefined;
  token?: string | undefined;
}

/** GETs a metrics API path as JSON. */
export const getMetrics = <T>(args: MetricsArgs, path: string, io: Io): Promise<T> =>
  apiClient(METRICS, { url: args.metricsUrl, token: args.token }, io).request<T>('GET', path);
