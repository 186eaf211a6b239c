import type { IncomingMessage } from 'node:http';
import { drain, header, readBody } from './http-transport.js';
import { registryError } from './registry-errors.js';
import type { RegistryHttp, RegistryRequest } from './registry-http.js';
import { pullScope, pushScope } from './registry-http.js';

/** An open upload session: where to send the next bytes, and how many the registry holds. */
export interface UploadSession {
  location: URL;
  offset: number;
}

/** The session's next URL from a 202/204 answer (relative Locations resolve against the registry). */
function sessionFrom(
  http: RegistryHttp,
  res: IncomingMessage,
  repository: string,
  what: string,
): UploadSession {
  const location = header(res, 'location');
  if (!location) throw registryError(502, repository, what, 'upload answer without Location');
  return { location: http.url(location), offset: rangeOffset(header(res, 'range')) };
}

/**
 * The next byte to send from a `Range: 0-<last>` answer. Distribution reports an empty upload as `0-0`
 * too; reading that as 0 is safe, because a wrong guess fails the digest check at the final PUT and
 * the upload starts over.
 */
export function rangeOffset(range: string | undefined): number {
  const last = range ? /(\d+)-(\d+)/.exec(range)?.[2] : undefined;
  const end = Number(last ?? 0);
  return end > 0 ? end + 1 : 0;
}

/**
 * Opens a session (POST). With `mountFrom`, asks the registry to mount the blob from that repository:
 * `mounted` when it did (201), else a session as for a plain POST (202), so a refused mount costs nothing.
 */
export async function openUpload(
  http: RegistryHttp,
  repository: string,
  mount?: { digest: string; from: string },
): Promise<UploadSession | 'mounted'> {
  const url = new URL(`/v2/${repository}/blobs/uploads/`, http.baseUrl);
  const scopes = [pushScope(repository)];
  if (mount) {
    url.searchParams.set('mount', mount.digest);
    url.searchParams.set('from', mount.from);
    scopes.push(pullScope(mount.from));
  }
  const what = mount ? `mount blob ${mount.digest} from ${mount.from}` : 'POST blob upload';
  const req: RegistryRequest = {
    method: 'POST',
    url,
    repository,
    scopes,
    what,
    headers: { 'content-length': '0' },
  };
  const res = await http.send(req);
  if (res.statusCode === 201 && mount) {
    await drain(res);
    return 'mounted';
  }
  if (res.statusCode !== 202) throw registryError(res.statusCode ?? 0, repository, what, await readBody(res));
  await drain(res);
  return sessionFrom(http, res, repository, what);
}

/**
 * Where a session stands after a broken connection (GET on its URL), or undefined when the registry has
 * forgotten it (restarted without a fixed http.secret, purged), so the caller starts over.
 */
export async function uploadStatus(
  http: RegistryHttp,
  repository: string,
  session: UploadSession,
): Promise<UploadSession | undefined> {
  const what = 'GET upload status';
  const res = await http.sendOnce({ method: 'GET', url: session.location, repository, what });
  await drain(res);
  if (res.statusCode === 204) return sessionFrom(http, res, repository, what);
  if (res.statusCode === 404 || res.statusCode === 400) return undefined;
  throw registryError(res.statusCode ?? 0, repository, what);
}

/** Reads a chunk's 202 answer: the registry's Location and the offset it reports having. */
export async function afterChunk(
  http: RegistryHttp,
  res: IncomingMessage,
  repository: string,
  what: string,
): Promise<UploadSession> {
  if (res.statusCode !== 202) throw registryError(res.statusCode ?? 0, repository, what, await readBody(res));
  await drain(res);
  return sessionFrom(http, res, repository, what);
}
