/** The code `resolveInside` throws unless its caller passes its own (`InsideOptions.code`). */
export const FsErrorCodes = {
  outsideRoot: 'GITOPS_FS_PATH_OUTSIDE_ROOT',
} as const;

/** A path that resolves through more symlinks than Linux follows: it names nothing. */
export class SymlinkLoop extends Error {
  override name = 'SymlinkLoop';
}
