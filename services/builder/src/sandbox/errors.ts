import { AppError } from '@gitops/errors';

/** The sandbox's error codes (docs/builder.md, "Sandbox"). */
export const sandboxErrors = {
  /** bwrap is missing or cannot make a sandbox here: the builder refuses to start (BUILD_SANDBOX=off runs steps without one). */
  unavailable: (problem: string) =>
    new AppError(
      'GITOPS_BUILD_SANDBOX_UNAVAILABLE',
      `${problem}; install bubblewrap (Debian: apt-get install bubblewrap), or set BUILD_SANDBOX=off to run build steps without a sandbox`,
    ),
  /** A directory above the data directory that the sandbox's user cannot pass through. */
  unreachable: (dir: string, uid: number) =>
    new AppError(
      'GITOPS_BUILD_SANDBOX_UNREACHABLE',
      `${dir} is not searchable by the sandbox's user (uid ${uid}), so steps cannot reach their workspace: chmod o+x ${dir}, or move GITOPS_DATA_DIR`,
    ),
};
