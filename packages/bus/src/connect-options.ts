import { readFileSync } from 'node:fs';
import type { NatsConnectOptions } from '@gitops/config';
import { type NodeConnectionOptions, credsAuthenticator } from '@nats-io/transport-node';

/** Where NATS is and how to authenticate, as `natsConnectOptions` of @gitops/config reads it (docs/security.md). */
export type NatsEndpoint = NatsConnectOptions;

/** The servers as a message may show them: a password left in a URL is masked. */
export const shownServers = (servers: string[]): string =>
  servers.map((url) => url.replace(/(\/\/[^\s:@/,]*):[^\s,]*@/, '$1:***@')).join(',');

/**
 * nats.js connect options for an endpoint. The `.creds` file is read at every (re)connect, so a
 * rotated file is picked up without a restart.
 */
export function natsClientOptions(endpoint: NatsEndpoint): NodeConnectionOptions {
  const { servers, user, pass, token, credsFile, tls } = endpoint;
  return {
    servers,
    ...(user !== undefined ? { user, pass } : {}),
    ...(token !== undefined ? { token } : {}),
    ...(tls ? { tls } : {}),
    ...(credsFile ? { authenticator: credsAuthenticator(() => readFileSync(credsFile)) } : {}),
  };
}
