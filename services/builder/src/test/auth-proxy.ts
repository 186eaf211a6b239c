import { type Server, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AuthProxy {
  url: string;
  /** The Authorization headers it was sent, to show what git sent. */
  seen: string[];
  close(): Promise<void>;
}

/**
 * A front for a git HTTP server that demands HTTP basic credentials, as a real git host does: 401
 * with a challenge unless the request carries `user:password`, then everything passes through.
 */
export async function startAuthProxy(target: string, user: string, password: string): Promise<AuthProxy> {
  const expected = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    if (req.headers.authorization) seen.push(req.headers.authorization);
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="git"' }).end();
      return;
    }
    const upstream = request(
      `${target}${req.url}`,
      { method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
