import { natsClientOptions } from '@gitops/bus';
import { type NatsConnectOptions, loadConfig, natsAuthEnv, natsConnectOptions } from '@gitops/config';
import { type NatsConnection, connect } from '@nats-io/transport-node';

/**
 * The CLI's NATS connection settings, read as every service reads them (docs/security.md): the
 * servers of --nats-url or NATS_URL, credentials in their URLs, NATS_CREDS, NATS_TOKEN, NATS_CA,
 * NATS_CERT and NATS_KEY.
 */
export const natsOptionsFrom = (servers: string[], env: NodeJS.ProcessEnv): NatsConnectOptions =>
  natsConnectOptions({ NATS_URL: servers, ...loadConfig(natsAuthEnv, env) });

/** Connects as `gitops-cli`, with the client options every service uses. */
export async function connectNats(options: NatsConnectOptions): Promise<NatsConnection> {
  try {
    return await connect({ ...natsClientOptions(options), name: 'gitops-cli' });
  } catch (err) {
    const as = options.user ? ` as ${options.user}` : '';
    throw new Error(`cannot reach NATS at ${options.servers.join(', ')}${as}: ${(err as Error).message}`);
  }
}
