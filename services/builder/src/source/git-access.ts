import {
  type CredentialFile,
  CredentialFileError,
  type GitAccess,
  type GitCredentials,
  gitAccess as resolveGitAccess,
} from '@gitops/git';
import { BuildFailure } from '../errors.js';

export type { GitAccess, GitCredentials } from '@gitops/git';

/** The variables that name each credential file (docs/builder.md), for a message the operator can act on. */
const VARIABLES: Record<CredentialFile, string> = {
  passwordFile: 'GIT_PASSWORD_FILE',
  sshKeyFile: 'GIT_SSH_KEY_FILE',
  sshKnownHostsFile: 'GIT_SSH_KNOWN_HOSTS_FILE',
};

/**
 * git's environment for one build, on top of the builder's own `base` (@gitops/git's gitAccess: the
 * password file is read here, at every build). An unreadable credential file fails the build as
 * `invalid-config`.
 */
export async function gitAccess(base: NodeJS.ProcessEnv, credentials: GitCredentials): Promise<GitAccess> {
  try {
    return await resolveGitAccess(credentials, base);
  } catch (err) {
    if (!(err instanceof CredentialFileError)) throw err;
    const message = `${VARIABLES[err.credential]} ${err.file} cannot be read: ${err.problem}`;
    throw new BuildFailure(message, 'invalid-config', 'checkout');
  }
}
