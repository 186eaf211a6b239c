import { AppError } from '@gitops/errors';

/** Why a push was refused: the branch moved on since it was fetched, or the server said no. */
export type PushRejection = 'non-fast-forward' | 'rejected';

/**
 * The remote refused to update the branch (GITOPS_GIT_PUSH_REJECTED). `non-fast-forward` is the
 * race a writer expects (another one pushed first): fetch the branch, apply the change again, push.
 * `rejected` is the server's own refusal (a hook, a protected branch, a ref lock), with its reason.
 */
export class PushRejected extends AppError {
  override name = 'PushRejected';
  constructor(
    readonly branch: string,
    readonly reason: PushRejection,
    /** git's words for it: `fetch first`, `pre-receive hook declined`, … */
    readonly detail: string,
  ) {
    super('GITOPS_GIT_PUSH_REJECTED', `push to ${branch} was rejected: ${reason} (${detail})`, {
      retryable: true,
      statusCode: 409,
    });
  }
}

/** The remote does not have the commit asked for (GITOPS_GIT_COMMIT_NOT_FOUND): nothing to retry. */
export class CommitNotFound extends AppError {
  override name = 'CommitNotFound';
  constructor(
    readonly sha: string,
    readonly url: string,
  ) {
    super('GITOPS_GIT_COMMIT_NOT_FOUND', `commit ${sha} is not in ${url}`, { statusCode: 404 });
  }
}

/** Reverting the commit conflicts with what changed since (GITOPS_GIT_REVERT_CONFLICT); the tree is left clean. */
export class RevertConflict extends AppError {
  override name = 'RevertConflict';
  constructor(
    readonly sha: string,
    readonly paths: string[],
  ) {
    super(
      'GITOPS_GIT_REVERT_CONFLICT',
      `reverting ${sha} conflicts with later changes${paths.length ? ` to ${paths.join(', ')}` : ''}`,
      { statusCode: 409 },
    );
  }
}

/** Which of the credentials' files could not be read. */
export type CredentialFile = 'passwordFile' | 'sshKeyFile' | 'sshKnownHostsFile';

/** A credential file is missing or unreadable (GITOPS_GIT_CREDENTIAL_UNREADABLE): a configuration problem. */
export class CredentialFileError extends AppError {
  override name = 'CredentialFileError';
  constructor(
    readonly credential: CredentialFile,
    readonly file: string,
    /** The system's error code (`ENOENT`, `EACCES`) or message. */
    readonly problem: string,
  ) {
    super('GITOPS_GIT_CREDENTIAL_UNREADABLE', `${credential} ${file} cannot be read: ${problem}`);
  }
}

/** A commit trailer that would not read back as one (GITOPS_GIT_INVALID_TRAILER). */
export const invalidTrailer = (key: string, why: string) =>
  new AppError('GITOPS_GIT_INVALID_TRAILER', `commit trailer ${JSON.stringify(key)} ${why}`);
