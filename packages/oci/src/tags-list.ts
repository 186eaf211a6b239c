import { readBody } from './http-transport.js';
import { registryError } from './registry-errors.js';
import type { RegistryHttp } from './registry-http.js';

/** The `rel="next"` target of a `Link` header (`</v2/acme/app/tags/list?last=x&n=100>; rel="next"`). */
export function nextLink(link: string | undefined): string | undefined {
  for (const part of link?.split(',') ?? []) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(part);
    if (match) return match[1];
  }
  return undefined;
}

/** The next page's URL; one on another host is refused, as it would get this registry's credentials. */
function pageAfter(http: RegistryHttp, link: string | string[] | undefined, repository: string) {
  const target = nextLink(Array.isArray(link) ? link.join(',') : link);
  if (!target) return undefined;
  const url = http.url(target);
  if (url.origin !== http.baseUrl.origin)
    throw registryError(502, repository, 'GET tags list', `next page on another host: ${url.origin}`);
  return url;
}

/**
 * Every tag of a repository (`GET /v2/<repo>/tags/list`), following `Link: <…>; rel="next"` through the
 * pages of a registry that paginates (Harbor, GHCR, distribution 3); distribution 2.8 answers all in one.
 * No `n` is sent: registries cap it differently and refuse a larger one. A repository the registry does
 * not know has no tags.
 */
export async function listTags(http: RegistryHttp, repository: string): Promise<string[]> {
  const tags: string[] = [];
  const seen = new Set<string>();
  const what = 'GET tags list';
  let next: URL | undefined = http.url(`/v2/${repository}/tags/list`);
  while (next && !seen.has(next.href)) {
    seen.add(next.href);
    const res = await http.send({ method: 'GET', url: next, repository, what });
    const body = await readBody(res);
    if (res.statusCode === 404 && tags.length === 0) return [];
    if (res.statusCode !== 200) throw registryError(res.statusCode ?? 0, repository, what, body);
    const page = JSON.parse(body.toString('utf8')) as { tags?: string[] | null };
    tags.push(...(page.tags ?? []));
    next = pageAfter(http, res.headers.link, repository);
  }
  return tags;
}
