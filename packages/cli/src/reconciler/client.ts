import { apiClient, apiFlags, serviceApi } from '../api/client.js';
import type { Io } from '../io.js';

const RECONCILER = serviceApi('reconciler', 'reconciler-url', 'GITOPS_RECONCILER_URL', 8091);

/** The flags of every command that talks to the reconciler's API (docs/reconciler.md). */
export const reconcilerFlags = apiFlags(RECONCILER);

export interface ReconcilerArgs {
  reconcilerUrl?: string | undefined;
  token?: string | undefined;
}

export const reconcilerApi = (args: ReconcilerArgs, io: Io) =>
  apiClient(RECONCILER, { url: args.reconcilerUrl, token: args.token }, io);

/** `?environment=` when one is given. */
export const environmentQuery = (environment: string | undefined) =>
  environment ? `?environment=${encodeURIComponent(environment)}` : '';
