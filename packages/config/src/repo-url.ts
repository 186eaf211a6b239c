import { AppError } from '@gitops/errors';

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

/**
 * The identity of a git repository, whatever way it was written: `https://Host/Owner/Repo.git`,
 * `ssh://git@host:22/owner/repo`, `git@host:owner/repo.git` and `http://host/owner/repo/` all become
 * `host/owner/repo`. Hosts and paths compare case-insensitively (as GitHub, GitLab, Gitea and
 * Bitbucket treat them); credentials, `.git`, trailing slashes and default ports are dropped. An
 * explicit http(s) port is kept, since two servers on one host are two places; an ssh port is not,
 * since the same repository is served over ssh and https on different ports.
 */
export function normaliseRepoUrl(input: string): string {
  const text = input.trim();
  const scpLike = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/\/)(.+)$/.exec(text);
  let host: string;
  let path: string;
  if (scpLike && !/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    host = scpLike[1]!;
    path = scpLike[2]!;
  } else {
    const url = URL.canParse(text) ? new URL(text) : undefined;
    if (!url || !['http:', 'https:', 'ssh:', 'git:', 'file:'].includes(url.protocol)) {
      throw new AppError('GITOPS_REPO_URL_INVALID', `not a git repository URL: "${input}"`, {
        statusCode: 400,
      });
    }
    const keepPort =
      url.port &&
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      DEFAULT_PORTS[url.protocol] !== url.port;
    host = keepPort ? `${url.hostname}:${url.port}` : url.hostname;
    path = decodeURIComponent(url.pathname);
  }
  const cleanPath = path
    .replace(/^\/+|\/+$/g, '')
    .replace(/\.git$/i, '')
    .replace(/\/+$/, '');
  if (!host || !cleanPath) {
    throw new AppError('GITOPS_REPO_URL_INVALID', `not a git repository URL: "${input}"`, {
      statusCode: 400,
    });
  }
  return `${host}/${cleanPath}`.toLowerCase();
}

// Webhook payloads name the same few repositories over and over, several ways each, and every
// delivery is matched against them: remembering the answers takes URL parsing off the hot path.
const CACHE_LIMIT = 10_000;
const known = new Map<string, string | undefined>();

/** `normaliseRepoUrl`, or undefined for a value that is not a repository URL. */
export function tryNormaliseRepoUrl(input: unknown): string | undefined {
  if (typeof input !== 'string' || input === '') return undefined;
  if (known.has(input)) return known.get(input);
  let key: string | undefined;
  try {
    key = normaliseRepoUrl(input);
  } catch {
    key = undefined;
  }
  if (known.size >= CACHE_LIMIT) known.clear();
  known.set(input, key);
  return key;
}
