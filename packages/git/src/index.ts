/**
 * @gitops/git: git for the services, run as a child process with a hermetic environment (no system
 * or global config, no prompt) and credentials that never reach an argument or a message.
 *
 * `gitAccess(credentials)` resolves the environment for one job (the password file is read then);
 * every operation takes it with an optional AbortSignal and timeout. Mirrors: `ensureMirror`,
 * `updateMirror`, `fetchCommit` (one sha, optionally shallow). Work trees: `clone`,
 * `checkoutDetached`, `commitAll` (trailers, SSH signing, nothing-to-commit), `pushBranch`
 * (PushRejected on a non-fast-forward race), `fetchBranchHead`, `revertCommit`. Failures are
 * GitError (GITOPS_GIT_FAILED) or the named errors in errors.ts.
 */
export { type GitAccess, type GitCredentials, gitAccess } from './access.js';
export { type FetchBranchRequest, fetchBranchHead } from './branch-head.js';
export { checkoutDetached } from './checkout.js';
export { type CloneRequest, clone } from './clone.js';
export { type CommitRequest, type CommitResult, type GitIdentity, commitAll } from './commit.js';
export { commitTime, resolveCommit } from './commit-info.js';
export { configEntries, hermeticEnv } from './environment.js';
export {
  CommitNotFound,
  type CredentialFile,
  CredentialFileError,
  PushRejected,
  type PushRejection,
  RevertConflict,
} from './errors.js';
export { type FetchCommitRequest, type FetchedCommit, fetchCommit, hasCommit } from './fetch-commit.js';
export { GitError, type GitErrorDetails, type GitFailure, isGitError } from './git-error.js';
export { ensureMirror, updateMirror } from './mirror.js';
export { type PushRequest, pushBranch } from './push.js';
export { redact } from './redact.js';
export { type RevertRequest, revertCommit } from './revert.js';
export {
  type GitContext,
  type GitOutput,
  type GitRunOptions,
  execGit,
  exitError,
  runGit,
} from './run.js';
