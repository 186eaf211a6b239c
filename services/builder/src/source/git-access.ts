import { access, readFile } from 'node:fs/promises';
import { BuildFailure } from '../errors.js';

/** How the builder authenticates to source repositories (GIT_* variables, docs/builder.md). */
export interface GitCredentials {
  username?: string;
  password?: string;
  /** Read at every build, so a rotated secret (a mounted Kubernetes Secret) applies at once. */
  passwordFile?: string;
  sshKeyFile?: string;
  sshKnownHostsFile?: string;
}

/** The environment git runs with for one build, and the secret values to redact from what it prints. */
export interface GitAccess {
  env: NodeJS.ProcessEnv;
  secrets: string[];
}

// git runs `!`-helpers through the shell with the action as $1. The helper only names variables:
// the values travel in the git process's environment, never in an argument or a file.
const CREDENTIAL_HELPER =
  '!f() { test "$1" = get || exit 0; echo "username=$GITOPS_GIT_USERNAME"; echo "password=$GITOPS_GIT_PASSWORD"; }; f';

const quote = (value: string) => `'${value.replaceAll("'", "'\\''")}'`;

const unreadable = (variable: string, file: string, err: unknown) => {
  const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  return new BuildFailure(`${variable} ${file} cannot be read: ${code}`, 'invalid-config', 'checkout');
};

async function mustRead(variable: string, file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (err) {
    throw unreadable(variable, file, err);
  }
}

async function mustExist(variable: string, file: string): Promise<void> {
  await access(file).catch((err) => {
    throw unreadable(variable, file, err);
  });
}

/** Config entries through GIT_CONFIG_COUNT, after any the builder's own environment already set. */
function configEntries(base: NodeJS.ProcessEnv, entries: [string, string][]): NodeJS.ProcessEnv {
  const first = Number(base.GIT_CONFIG_COUNT) || 0;
  const env: NodeJS.ProcessEnv = { GIT_CONFIG_COUNT: String(first + entries.length) };
  entries.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${first + i}`] = key;
    env[`GIT_CONFIG_VALUE_${first + i}`] = value;
  });
  return env;
}

function sshCommand(keyFile: string, knownHosts: string | undefined): string {
  const options = ['-o IdentitiesOnly=yes', '-o BatchMode=yes', '-o StrictHostKeyChecking=yes'];
  if (knownHosts) options.push(`-o UserKnownHostsFile=${quote(knownHosts)}`);
  return `ssh -i ${quote(keyFile)} ${options.join(' ')}`;
}

/**
 * The environment for fetching with `credentials`: HTTP basic through a credential helper that
 * reads GITOPS_GIT_USERNAME/PASSWORD from the environment (an empty `credential.helper` first, so
 * no helper of the machine answers instead), SSH through GIT_SSH_COMMAND. git never prompts.
 */
export async function gitAccess(base: NodeJS.ProcessEnv, credentials: GitCredentials): Promise<GitAccess> {
  const env: NodeJS.ProcessEnv = { ...base, GIT_TERMINAL_PROMPT: '0' };
  const secrets: string[] = [];
  const password = credentials.passwordFile
    ? await mustRead('GIT_PASSWORD_FILE', credentials.passwordFile)
    : credentials.password;
  if (credentials.username && password) {
    secrets.push(password);
    Object.assign(
      env,
      configEntries(base, [
        ['credential.helper', ''],
        ['credential.helper', CREDENTIAL_HELPER],
      ]),
      {
        GITOPS_GIT_USERNAME: credentials.username,
        GITOPS_GIT_PASSWORD: password,
      },
    );
  }
  if (credentials.sshKeyFile) {
    await mustExist('GIT_SSH_KEY_FILE', credentials.sshKeyFile);
    const knownHosts = credentials.sshKnownHostsFile;
    if (knownHosts) await mustExist('GIT_SSH_KNOWN_HOSTS_FILE', knownHosts);
    env.GIT_SSH_COMMAND = sshCommand(credentials.sshKeyFile, credentials.sshKnownHostsFile);
  }
  return { env, secrets };
}
