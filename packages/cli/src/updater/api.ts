import { apiClient, apiFlags } from '../api/client.js';
import type { Io } from '../io.js';

const UPDATER = {
  name: 'config updater',
  flag: 'updater-url' as const,
  variable: 'GITOPS_CONFIG_UPDATER_URL',
  fallback: 'http://127.0.0.1:8094',
};

/** The flags of every command that talks to the config updater's API (docs/config-updater.md). */
export const updaterFlags = apiFlags(UPDATER);

export const updaterApi = (args: { updaterUrl?: string | undefined; token?: string | undefined }, io: Io) =>
  apiClient(UPDATER, { url: args.updaterUrl, token: args.token }, io);
