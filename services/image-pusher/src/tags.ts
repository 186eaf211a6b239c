import semver from 'semver';

/** The most a tag may be (distribution's tag grammar: `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`). */
const TAG_MAX = 128;
const SHORT_SHA = 7;
const VERSION_TAG_PREFIX = 'refs/tags/v';

/**
 * A branch name as a tag part: lower case, every run of characters the grammar refuses (`/`, `+`, `@` …)
 * one `-`, no leading or trailing `.`/`-`, at most `max` characters. `feature/Login+SSO` → `feature-login-sso`.
 */
export function sanitiseBranch(branch: string, max: number): string {
  const clean = branch
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^[.-]+|[.-]+$/g, '')
    .slice(0, max)
    .replace(/[.-]+$/, '');
  return clean || 'detached';
}

/**
 * `<branch>-<short sha>-<build number>`: unique (the build number is the application's own counter) and
 * sortable by that number, which tools extract with a pattern (Flux:
 * `^main-[a-f0-9]+-(?P<n>[0-9]+)$`, `extract: '$n'`, numerical order).
 */
export function versionTag(branch: string, commit: string, buildNumber: number): string {
  const suffix = `-${commit.slice(0, SHORT_SHA)}-${buildNumber}`;
  return `${sanitiseBranch(branch, TAG_MAX - suffix.length)}${suffix}`;
}

/**
 * The semver tag (`1.2.3`, `2.0.0-rc.1`) for a git tag `vX.Y.Z[-pre]` that is strict semver; nothing for
 * other refs. `semver.valid` would also take `v1.2.3` again, surrounding spaces and `+build` metadata
 * (which it drops, and `+` is not allowed in an image tag): only a version it answers unchanged counts.
 */
export function semverTag(ref: string): string | undefined {
  if (!ref.startsWith(VERSION_TAG_PREFIX)) return undefined;
  const version = ref.slice(VERSION_TAG_PREFIX.length);
  return semver.valid(version) === version ? version : undefined;
}

export interface ImageTags {
  /** Immutable: a push whose tag points at another image is refused. */
  strict: string[];
  /** `sha-<commit>`: the first image of a commit keeps it (a rebuild of the commit on another branch may differ). */
  firstWins: string[];
}

/** Every tag an image of this build gets. */
export function imageTags(
  source: { ref: string; branch: string },
  commit: string,
  buildNumber: number,
): ImageTags {
  const semver = semverTag(source.ref);
  const branch = source.branch || source.ref.replace(/^refs\/(heads|tags)\//, '');
  return {
    strict: [versionTag(branch, commit, buildNumber), ...(semver ? [semver] : [])],
    firstWins: [`sha-${commit}`],
  };
}
