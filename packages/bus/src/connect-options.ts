import { readFileSync } from 'node:fs';
import { type NodeConnectionOptions, credsAuthenticator } from '@nats-io/transport-node';

/**
 * Where NATS is and how to authenticate: what `natsConnectOptions` of @gitops/config reads from
 * NATS_URL, NATS_CREDS, NATS_TOKEN and NATS_CA/CERT/KEY (docs/security.md).
 */
export interface NatsEndpoint {
  /** Server URLs without credentials: nats.js ignores a URL's user and password. */
  servers: string[];
  user?: string;
  pass?: string;
  token?: string;
  /** A `.creds` file (user JWT and NKey seed). */
  credsFile?: string;
  /** Present means TLS is required; nats.js reads the files at connect. */
  tls?: { caFile?: string; certFile?: string; keyFile?: string };
}

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
