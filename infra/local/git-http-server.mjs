#!/usr/bin/env node
// A smart-HTTP git server for local development and tests: a CGI front for `git http-backend`, so clones
// and pushes use the same http:// URLs as a real git host and the repositories' hooks (post-receive) run.
// No dependencies on purpose: the local scripts and the compose file run it with a bare `node`.
//
//   node infra/local/git-http-server.mjs --port 8181 --root ./.gitops-data/git [--host 127.0.0.1]
import { spawn } from 'node:child_process';
import { mkdirSync, realpathSync } from 'node:fs';
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const HEADER_END = /\r?\n\r?\n/;
const MAX_STDERR = 8192;

/**
 * @param {{ root: string, log?: (line: string) => void }} options
 * @returns {import('node:http').Server}
 */
export function createGitHttpServer({ root, log = () => {} }) {
  const projectRoot = resolve(root);
  return createServer((req, res) => {
    const started = Date.now();
    res.once('close', () =>
      log(`${req.socket.remoteAddress} ${req.method} ${req.url} ${res.statusCode} ${Date.now() - started}ms`),
    );
    serve(projectRoot, req, res, log);
  });
}

function serve(root, req, res, log) {
  const url = new URL(req.url ?? '/', 'http://localhost');
  let pathInfo;
  try {
    pathInfo = decodeURIComponent(url.pathname);
  } catch {
    return answer(res, 400, 'malformed path');
  }
  // http-backend refuses these too; answering here keeps a hostile path away from the filesystem.
  if (pathInfo.includes('\0') || pathInfo.split('/').includes('..')) return answer(res, 400, 'bad path');

  const backend = spawn('git', ['http-backend'], { env: cgiEnv(root, req, url, pathInfo) });
  let stderr = '';
  let finished = false;
  const fail = (reason) => {
    if (finished) return;
    finished = true;
    log(`git http-backend failed for ${req.method} ${req.url}: ${reason}`);
    // Once the status line is out the only honest signal left is a cut connection.
    if (!res.headersSent) answer(res, 500, 'git http-backend failed');
    else if (!res.writableEnded) res.destroy();
  };
  backend.stderr.on('data', (chunk) => {
    if (stderr.length < MAX_STDERR) stderr += chunk;
  });
  backend.once('error', (err) => fail(err.message));
  backend.once('close', (code, signal) => {
    if (!res.headersSent) fail(`exited with ${signal ?? code} before its headers: ${stderr.trim()}`);
    else if (code !== 0) fail(`exited with ${signal ?? code}: ${stderr.trim()}`);
  });
  // The backend may exit without reading the whole body (a refused push); that is not our error.
  backend.stdin.on('error', () => {});
  req.pipe(backend.stdin);
  // A client that goes away mid-transfer must not leave a backend behind.
  res.once('close', () => {
    if (!res.writableFinished) backend.kill();
  });
  relayCgiResponse(backend.stdout, res);
}

function cgiEnv(root, req, url, pathInfo) {
  // Appended after any GIT_CONFIG_* the server inherited, so those keep applying.
  const n = Number(process.env.GIT_CONFIG_COUNT) || 0;
  const env = {
    ...process.env,
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: '1',
    PATH_INFO: pathInfo,
    QUERY_STRING: url.search.slice(1),
    REQUEST_METHOD: req.method ?? 'GET',
    REMOTE_ADDR: req.socket.remoteAddress ?? '',
    GIT_CONFIG_COUNT: String(n + 2),
    // Anonymous push: http-backend allows receive-pack without REMOTE_USER only when this is explicit.
    [`GIT_CONFIG_KEY_${n}`]: 'http.receivepack',
    [`GIT_CONFIG_VALUE_${n}`]: 'true',
    // Repositories on a mounted volume may belong to another user; git would refuse them as "dubious".
    [`GIT_CONFIG_KEY_${n + 1}`]: 'safe.directory',
    [`GIT_CONFIG_VALUE_${n + 1}`]: '*',
  };
  const headers = req.headers;
  if (headers['content-type']) env.CONTENT_TYPE = headers['content-type'];
  // Without a length (chunked uploads of large pushes) http-backend reads the body up to EOF.
  if (headers['content-length']) env.CONTENT_LENGTH = headers['content-length'];
  // git gzips large request bodies; http-backend inflates them itself when told the encoding.
  if (headers['content-encoding']) env.HTTP_CONTENT_ENCODING = headers['content-encoding'];
  if (headers['git-protocol']) env.GIT_PROTOCOL = headers['git-protocol'];
  const user = basicUser(headers.authorization);
  // An identity for reflogs only: this server never checks passwords, so it must stay on loopback.
  if (user) env.REMOTE_USER = user;
  return env;
}

function basicUser(authorization) {
  const match = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) return undefined;
  const [user] = Buffer.from(match[1], 'base64').toString('utf8').split(':', 1);
  return user || undefined;
}

/** Parses the CGI header block (Status: and the rest), then streams the body through untouched. */
function relayCgiResponse(stdout, res) {
  let head = Buffer.alloc(0);
  const onData = (chunk) => {
    head = Buffer.concat([head, chunk]);
    const text = head.toString('latin1');
    const end = HEADER_END.exec(text);
    if (!end) return;
    stdout.off('data', onData);
    let status = 200;
    const headers = {};
    for (const line of text.slice(0, end.index).split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon < 1) continue;
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500;
      else headers[name] = name in headers ? [headers[name], value].flat() : value;
    }
    res.writeHead(status, headers);
    res.write(head.subarray(end.index + end[0].length));
    stdout.pipe(res);
  };
  stdout.on('data', onData);
}

function answer(res, status, message) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(`${message}\n`);
}

function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8181' },
      root: { type: 'string' },
      // Loopback by default: the server has no authentication. A container publishes it with --host 0.0.0.0.
      host: { type: 'string', default: '127.0.0.1' },
    },
  });
  const port = Number(values.port);
  if (!values.root || !Number.isInteger(port) || port < 0 || port > 65535) {
    console.error('usage: git-http-server.mjs --root <dir> [--port 8181] [--host 127.0.0.1]');
    process.exit(2);
  }
  mkdirSync(values.root, { recursive: true });
  const server = createGitHttpServer({ root: values.root, log: (line) => console.error(line) });
  server.listen(port, values.host, () =>
    console.error(`git-http-server: serving ${resolve(values.root)} on http://${values.host}:${port}`),
  );
  // As PID 1 in a container node gets no default signal handling, so stop explicitly.
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      server.close(() => process.exit(0));
      server.closeIdleConnections();
    });
  }
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) main();
