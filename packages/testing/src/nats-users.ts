import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { repoRoot } from './service-process.js';

/** The platform's NATS users and their permissions, as deployed (docs/security.md). */
export const NATS_USERS_FILE = resolve(repoRoot, 'infra/k8s/nats-users.conf');

/** The environment variable that holds a user's password in that file: `NATS_PASSWORD_IMAGE_PUSHER`. */
export const natsPasswordVariable = (user: string) =>
  `NATS_PASSWORD_${user.toUpperCase().replaceAll('-', '_')}`;

export interface PlatformNatsUsers {
  /** The users file as nats-server configuration (startNatsServer's `config`). */
  config: string;
  /** A fresh password for every user, as the variables the file reads (startNatsServer's `env`). */
  env: Record<string, string>;
  passwordOf(user: string): string;
}

/** The deployed users file with fresh passwords, so a test's NATS enforces the real permissions. */
export function platformNatsUsers(): PlatformNatsUsers {
  const config = readFileSync(NATS_USERS_FILE, 'utf8');
  const variables = new Set(config.match(/\$NATS_PASSWORD_[A-Z0-9_]+/g)?.map((ref) => ref.slice(1)));
  // nats-server parses the variable as a configuration value: a leading digit would make it a number.
  const env = Object.fromEntries([...variables].map((name) => [name, `p${randomBytes(16).toString('hex')}`]));
  return {
    config,
    env,
    passwordOf: (user) => {
      const password = env[natsPasswordVariable(user)];
      if (!password) throw new Error(`${NATS_USERS_FILE} has no user ${user}`);
      return password;
    },
  };
}
