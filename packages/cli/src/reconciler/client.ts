import { apiClient, apiFlags } from '../api/client.js';
import type { Io } from '../io.js';

const RECONCILER = {
  name: 'reconciler',
  flag: 'reconciler-url' as const,
  variable: 'GITOPS_RECONCILER_URL',
  fallback: 'http://127.0.0.1:8091',
};

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
