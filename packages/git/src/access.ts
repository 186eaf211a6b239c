import { access, readFile } from 'node:fs/promises';
import { configEntries, hermeticEnv } from './environment.js';
import { type CredentialFile, CredentialFileError } from './errors.js';

/** How git authenticates to remotes: HTTP basic, or an SSH key. */
export interface GitCredentials {
  username?: string;
  password?: string;
  /** Read at every `gitAccess()`, so a rotated secret (a mounted Kubernetes Secret) applies at once. */
  passwordFile?: string;
  sshKeyFile?: string;
  sshKnownHostsFile?: string;
}

/** The environment git runs with, and the secret values to redact from whatever it prints. */
export interface GitAccess {
  env: NodeJS.ProcessEnv;
  secrets: string[];
}

// git runs `!`-helpers through the shell with the action as $1. The helper only names variables:
// the values travel in the git process's environment, never in an argument or a file.
const CREDENTIAL_HELPER =
  '!f() { test "$1" = get || exit 0; echo "username=$GITOPS_GIT_USERNAME"; echo "password=$GITOPS_GIT_PASSWORD"; }; f';

const quote = (value: string) => `'${value.replaceAll("'", "'\\''")}'`;

const unreadable = (credential: CredentialFile, file: string, err: unknown) =>
  new CredentialFileError(credential, file, (err as NodeJS.ErrnoException).code ?? (err as Error).message);

async function mustRead(credential: CredentialFile, file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (err) {
    throw unreadable(credential, file, err);
  }
}

async function mustExist(credential: CredentialFile, file: string): Promise<void> {
  await access(file).catch((err) => {
    throw unreadable(credential, file, err);
  });
}

function sshCommand(keyFile: string, knownHosts: string | undefined): string {
  const options = ['-o IdentitiesOnly=yes', '-o BatchMode=yes', '-o StrictHostKeyChecking=yes'];
  if (knownHosts) options.push(`-o UserKnownHostsFile=${quote(knownHosts)}`);
  return `ssh -i ${quote(keyFile)} ${options.join(' ')}`;
}

function basicAuth(env: NodeJS.ProcessEnv, username: string, password: string): NodeJS.ProcessEnv {
  return {
    // The empty helper first clears any helper configured before, so only this one answers.
    ...configEntries(env, [
      ['credential.helper', ''],
      ['credential.helper', CREDENTIAL_HELPER],
    ]),
    GITOPS_GIT_USERNAME: username,
    GITOPS_GIT_PASSWORD: password,
  };
}

/**
 * The environment for running git with `credentials` on top of `base` (made hermetic): HTTP basic
 * through a credential helper that reads GITOPS_GIT_USERNAME/PASSWORD from the environment, SSH
 * through GIT_SSH_COMMAND with the key, strict host key checking and no prompt. Resolve it per use
 * (a job, a build): the password file is read here. Throws CredentialFileError for a missing file.
 */
export async function gitAccess(
  credentials: GitCredentials = {},
  base: NodeJS.ProcessEnv = process.env,
): Promise<GitAccess> {
  let env = hermeticEnv(base);
  const secrets: string[] = [];
  const password = credentials.passwordFile
    ? await mustRead('passwordFile', credentials.passwordFile)
    : credentials.password;
  if (credentials.username && password) {
    secrets.push(password);
    env = { ...env, ...basicAuth(env, credentials.username, password) };
  }
  if (credentials.sshKeyFile) {
    await mustExist('sshKeyFile', credentials.sshKeyFile);
    const knownHosts = credentials.sshKnownHostsFile;
    if (knownHosts) await mustExist('sshKnownHostsFile', knownHosts);
    env.GIT_SSH_COMMAND = sshCommand(credentials.sshKeyFile, knownHosts);
  }
  return { env, secrets };
}
