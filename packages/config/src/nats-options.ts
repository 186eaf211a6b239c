import { ConfigError, type ConfigIssue } from './env.js';

/** The variables a NATS client reads (`serviceEnv`; the CLI reads the same ones). */
export interface NatsConfig {
  NATS_URL: string[];
  NATS_CREDS?: string | undefined;
  NATS_TOKEN?: string | undefined;
  NATS_CA?: string | undefined;
  NATS_CERT?: string | undefined;
  NATS_KEY?: string | undefined;
}

/**
 * nats.js connect options: servers without credentials, and how to authenticate. `credsFile` is
 * the one option nats.js has no name for: the client turns it into `credsAuthenticator` (reading a
 * `.creds` file needs nats.js's NKeys, which this package does not depend on).
 */
export interface NatsConnectOptions {
  servers: string[];
  user?: string;
  pass?: string;
  token?: string;
  credsFile?: string;
  /** Present means TLS is required; the files are read by nats.js at connect. */
  tls?: { caFile?: string; certFile?: string; keyFile?: string };
}

interface UrlCredentials {
  server: string;
  user?: string;
  pass?: string;
  token?: string;
}

// `nats://user:pass@host` is a user and password; `nats://token@host` a token, as the nats CLI reads them.
function splitCredentials(raw: string): UrlCredentials {
  const url = new URL(raw);
  const user = decodeURIComponent(url.username);
  const pass = decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  const server = url.toString().replace(/\/$/, '');
  if (!user && !pass) return { server };
  return pass ? { server, user, pass } : { server, token: user };
}

const sameCredentials = (a: UrlCredentials, b: UrlCredentials) =>
  a.user === b.user && a.pass === b.pass && a.token === b.token;

function authIssues(config: NatsConfig, fromUrl: UrlCredentials[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  // nats.js has one set of credentials per connection: every server must accept the same ones.
  if (fromUrl.some((entry) => !sameCredentials(entry, fromUrl[0]!))) {
    issues.push({ variable: 'NATS_URL', problem: 'must give the same credentials for every server' });
  }
  const methods = [
    fromUrl[0]?.user || fromUrl[0]?.token ? 'credentials in NATS_URL' : undefined,
    config.NATS_TOKEN ? 'NATS_TOKEN' : undefined,
    config.NATS_CREDS ? 'NATS_CREDS' : undefined,
  ].filter((method) => method !== undefined);
  if (methods.length > 1) {
    issues.push({ variable: 'NATS_CREDS', problem: `takes one of ${methods.join(', ')}, not several` });
  }
  if (Boolean(config.NATS_CERT) !== Boolean(config.NATS_KEY)) {
    issues.push({
      variable: 'NATS_CERT',
      problem: 'and NATS_KEY go together (a client certificate and its key)',
    });
  }
  return issues;
}

function tlsOf(config: NatsConfig): NatsConnectOptions['tls'] {
  const wantsTls =
    config.NATS_URL.some((url) => url.startsWith('tls://')) ||
    Boolean(config.NATS_CA || config.NATS_CERT || config.NATS_KEY);
  if (!wantsTls) return undefined;
  return {
    ...(config.NATS_CA ? { caFile: config.NATS_CA } : {}),
    ...(config.NATS_CERT ? { certFile: config.NATS_CERT } : {}),
    ...(config.NATS_KEY ? { keyFile: config.NATS_KEY } : {}),
  };
}

/**
 * The one reading of NATS_URL, NATS_CREDS, NATS_TOKEN and NATS_CA/CERT/KEY into connect options
 * (docs/security.md). nats.js ignores credentials in a server URL, so they are taken out of it here;
 * a `tls://` server or any TLS file requires TLS. Conflicting settings throw a ConfigError that
 * names the variables, never their values.
 */
export function natsConnectOptions(config: NatsConfig): NatsConnectOptions {
  const fromUrl = config.NATS_URL.map(splitCredentials);
  const issues = authIssues(config, fromUrl);
  if (issues.length > 0) throw new ConfigError(issues);
  const { user, pass, token } = fromUrl[0] ?? {};
  const tls = tlsOf(config);
  return {
    servers: fromUrl.map((entry) => entry.server),
    ...(user && pass ? { user, pass } : {}),
    ...(token || config.NATS_TOKEN ? { token: token || config.NATS_TOKEN } : {}),
    ...(config.NATS_CREDS ? { credsFile: config.NATS_CREDS } : {}),
    ...(tls ? { tls } : {}),
  };
}
