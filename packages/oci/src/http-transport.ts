import { Agent as HttpAgent, type IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { rootCertificates } from 'node:tls';

/** A request body: bytes, or a factory that opens a fresh stream for every attempt (a file range, say). */
export type BodySource = Buffer | string | (() => Readable);

export interface HttpRequest {
  method: string;
  url: URL;
  headers?: Record<string, string>;
  body?: BodySource;
}

export interface HttpTransportOptions {
  /** Extra trusted CA certificates (PEM) for HTTPS, e.g. a private registry's; added to Node's roots. */
  ca?: string | Buffer;
  /** A request fails when its socket stays idle this long. */
  idleTimeoutMs?: number;
  maxSockets?: number;
}

/**
 * node:http(s) with keep-alive agents. Not fetch: bodies stream from disk with back-pressure and an exact
 * Content-Length, and a custom CA needs an agent option that global fetch does not take in Node 20.
 */
export class HttpTransport {
  private readonly http: HttpAgent;
  private readonly https: HttpsAgent;
  private readonly idleTimeoutMs: number;

  constructor(options: HttpTransportOptions = {}) {
    const maxSockets = options.maxSockets ?? 16;
    this.http = new HttpAgent({ keepAlive: true, maxSockets });
    this.https = new HttpsAgent({
      keepAlive: true,
      maxSockets,
      ...(options.ca ? { ca: [...rootCertificates, options.ca.toString()] } : {}),
    });
    this.idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
  }

  /** Resolves with the response as soon as its head arrives; the caller reads or drains the body. */
  send(req: HttpRequest): Promise<IncomingMessage> {
    const https = req.url.protocol === 'https:';
    return new Promise((resolve, reject) => {
      const out = (https ? httpsRequest : httpRequest)(req.url, {
        method: req.method,
        headers: req.headers,
        agent: https ? this.https : this.http,
        timeout: this.idleTimeoutMs,
      });
      out.once('response', resolve);
      out.once('error', reject);
      out.once('timeout', () =>
        out.destroy(Object.assign(new Error('socket idle timeout'), { code: 'ETIMEDOUT' })),
      );
      const body = req.body;
      if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) {
        out.end(body);
        return;
      }
      const stream = body();
      stream.once('error', (err) => out.destroy(err));
      stream.pipe(out);
    });
  }

  close(): void {
    this.http.destroy();
    this.https.destroy();
  }
}

/** Reads a (small) response body, refusing more than `limit` bytes so a hostile server cannot exhaust memory. */
export async function readBody(res: IncomingMessage, limit = 16 << 20): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      res.destroy();
      throw new Error(`response body over ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Discards a response body so its keep-alive socket can serve the next request. */
export async function drain(res: IncomingMessage): Promise<void> {
  res.resume();
  if (res.complete || res.readableEnded) return;
  await new Promise<void>((done) => {
    res.once('end', done);
    res.once('close', done);
    res.once('error', () => done());
  });
}

export const header = (res: IncomingMessage, name: string): string | undefined => {
  const value = res.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
};
