import { apiClient, apiFlags, serviceApi } from '../api/client.js';
import type { Io } from '../io.js';

const UPDATER = serviceApi('config updater', 'updater-url', 'GITOPS_CONFIG_UPDATER_URL', 8094);

/** The flags of every command that talks to the config updater's API (docs/config-updater.md). */
export const updaterFlags = apiFlags(UPDATER);

export const updaterApi = (args: { updaterUrl?: string | undefined; token?: string | undefined }, io: Io) =>
  apiClient(UPDATER, { url: args.updaterUrl, token: args.token }, io);
