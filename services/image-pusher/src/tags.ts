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

/** `<anything in the branch grammar>-<7 hex>-<number>`: a version tag of any branch and commit. */
const VERSION_TAG = /^[a-z0-9_][a-z0-9_.-]*-[0-9a-f]{7}-([1-9][0-9]*)$/;

/** The build number a version tag carries, or undefined for any other tag (`sha-…`, `1.2.0`, `sha256-….att`). */
export function buildNumberOf(tag: string): number | undefined {
  const digits = VERSION_TAG.exec(tag)?.[1];
  const n = Number(digits);
  return digits && Number.isSafeInteger(n) ? n : undefined;
}

/** The highest build number among a repository's tags, across branches; 0 when none is a version tag. */
export function highestBuildNumber(tags: readonly string[]): number {
  return tags.reduce((max, tag) => Math.max(max, buildNumberOf(tag) ?? 0), 0);
}

/** The version tags this branch and commit already got, lowest number first. */
export function versionTagsOf(
  tags: readonly string[],
  branch: string,
  commit: string,
): { tag: string; buildNumber: number }[] {
  return tags
    .map((tag) => ({ tag, buildNumber: buildNumberOf(tag) }))
    .filter((t): t is { tag: string; buildNumber: number } => t.buildNumber !== undefined)
    .filter((t) => versionTag(branch, commit, t.buildNumber) === t.tag)
    .sort((a, b) => a.buildNumber - b.buildNumber);
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

/** The branch a build's version tag names: the source's branch, else its ref's short name. */
export const tagBranch = (source: { ref: string; branch: string }): string =>
  source.branch || source.ref.replace(/^refs\/(heads|tags)\//, '');

/** Every tag an image of this build gets. */
export function imageTags(
  source: { ref: string; branch: string },
  commit: string,
  buildNumber: number,
): ImageTags {
  const semver = semverTag(source.ref);
  const branch = tagBranch(source);
  return {
    strict: [versionTag(branch, commit, buildNumber), ...(semver ? [semver] : [])],
    firstWins: [`sha-${commit}`],
  };
}
