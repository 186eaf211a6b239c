/** Where the config updater's API is and who calls it. */
export interface UpdaterApi {
  url: string;
  /** A token of the config updater's GITOPS_API_TOKENS_FILE, sent as `Authorization: Bearer`. */
  token?: string | undefined;
}

const reason = (err: unknown) => {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message;
};

/**
 * Calls the config updater (docs/config-updater.md) and answers its JSON; any other answer than 2xx
 * is an error carrying the service's own message, with a hint when a token is missing.
 */
export async function callUpdater<T>(api: UpdaterApi, path: string, body?: unknown): Promise<T> {
  const url = new URL(path.replace(/^\//, ''), `${api.url.replace(/\/*$/, '')}/`);
  const headers: Record<string, string> = {};
  if (api.token) headers.authorization = `Bearer ${api.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (err) {
    throw new Error(`cannot reach the config updater at ${api.url}: ${reason(err)}`);
  }
  const text = await res.text();
  let json: { message?: string } | undefined;
  try {
    json = JSON.parse(text) as { message?: string };
  } catch {
    json = undefined;
  }
  if (res.ok && json) return json as T;
  const message = json?.message ?? (text.trim().split('\n')[0] || `status ${res.status}`);
  const hint = res.status === 401 && !api.token ? ' (give a token with --token or GITOPS_TOKEN)' : '';
  throw new Error(`the config updater answered ${res.status}: ${message}${hint}`);
}

/** The flags both commands take, with the token from GITOPS_TOKEN (or GITOPS_API_TOKEN). */
export const tokenOf = (flag: string | undefined, env: NodeJS.ProcessEnv) =>
  flag?.trim() || env.GITOPS_TOKEN?.trim() || env.GITOPS_API_TOKEN?.trim() || undefined;
