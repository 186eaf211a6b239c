import { spawn } from 'node:child_process';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hermeticEnv } from '../environment.js';

export interface HttpGitServer {
  /** http://127.0.0.1:<port>; a repository `<root>/x.git` is at `<url>/x.git`. */
  url: string;
  /** Every Authorization header it was sent, to show what git sent. */
  authorizations: string[];
  close(): Promise<void>;
}

const HEADER_END = /\r?\n\r?\n/;

/** Relays `git http-backend`'s CGI answer: its header block (with `Status:`), then the body as is. */
function relay(backend: ReturnType<typeof spawn>, res: ServerResponse): void {
  let head = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    head = Buffer.concat([head, chunk]);
    const end = HEADER_END.exec(head.toString('latin1'));
    if (!end) return;
    backend.stdout?.off('data', onData);
    const headers: Record<string, string> = {};
    let status = 200;
    for (const line of head.toString('latin1').slice(0, end.index).split(/\r?\n/)) {
      const [name = '', ...rest] = line.split(':');
      if (name.toLowerCase() === 'status') status = Number.parseInt(rest.join(':'), 10);
      else headers[name] = rest.join(':').trim();
    }
    res.writeHead(status, headers);
    res.write(head.subarray(end.index + end[0].length));
    backend.stdout?.pipe(res);
  };
  backend.stdout?.on('data', onData);
}

function serveGit(root: string, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const backend = spawn('git', ['http-backend'], {
    env: {
      ...hermeticEnv(),
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'http.receivepack',
      GIT_CONFIG_VALUE_0: 'true',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      REQUEST_METHOD: req.method ?? 'GET',
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
      HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
    },
  });
  req.pipe(backend.stdin);
  relay(backend, res);
}

/**
 * A smart-HTTP git server for the repositories under `root` that demands HTTP basic `user:password`
 * as a real git host does: 401 with a challenge until a request carries them.
 */
export async function startHttpGitServer(
  root: string,
  user: string,
  password: string,
): Promise<HttpGitServer> {
  const expected = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const authorizations: string[] = [];
  const server = createServer((req, res) => {
    if (req.headers.authorization) authorizations.push(req.headers.authorization);
    if (req.headers.authorization === expected) return serveGit(root, req, res);
    res.writeHead(401, { 'www-authenticate': 'Basic realm="git"' }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    authorizations,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
