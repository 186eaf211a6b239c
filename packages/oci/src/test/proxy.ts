import { type IncomingMessage, type Server, type ServerResponse, createServer, request } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** Decides about one request: answer it itself (return true) or let the proxy forward it (false). */
export type Intercept = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

export interface TestProxy {
  url: string;
  host: string;
  close(): Promise<void>;
}

/**
 * Forwards a request to `target` with its Host header, and the scheme in X-Forwarded-Proto, so the registry's
 * Locations point back here as a TLS-terminating proxy's do.
 */
export function forward(target: URL, req: IncomingMessage, res: ServerResponse, proto = 'http'): void {
  const headers = { ...req.headers, 'x-forwarded-proto': proto };
  const out = request(
    { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  out.on('error', () => res.destroy());
  req.pipe(out);
}

/**
 * A test double in front of the registry: a plain forwarding proxy on a random loopback port (HTTPS with
 * `tls`), where a test intercepts requests to fail, authenticate or break them.
 */
export async function startProxy(
  targetUrl: string,
  intercept: Intercept = () => false,
  tls?: { key: string; cert: string },
): Promise<TestProxy> {
  const target = new URL(targetUrl);
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    Promise.resolve(intercept(req, res)).then(
      (handled) => handled || forward(target, req, res, tls ? 'https' : 'http'),
      () => res.destroy(),
    );
  };
  const server: Server = tls ? createTlsServer(tls, handler) : createServer(handler);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${tls ? 'https' : 'http'}://${host}`,
    host,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
