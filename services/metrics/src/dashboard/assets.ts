import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

// The dashboard's files sit beside src/ and dist/ in the package: the same path from either.
const DIR = new URL('../../dashboard/', import.meta.url);

const FILES = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'charts.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
} as const;

/** The dashboard: static files read once at start, `/` and `/dashboard/<file>` (a fixed list, no paths). */
export function dashboardRoutes(app: FastifyInstance): void {
  const files = new Map(
    Object.entries(FILES).map(([name, type]) => [name, { type, body: readFileSync(new URL(name, DIR)) }]),
  );
  const send = (name: string) => files.get(name);
  app.get('/', { schema: { hide: true } }, (_request, reply) => {
    const file = send('index.html')!;
    return reply.type(file.type).send(file.body);
  });
  app.get<{ Params: { file: string } }>('/dashboard/:file', { schema: { hide: true } }, (request, reply) => {
    const file = send(request.params.file);
    if (!file)
      return reply
        .code(404)
        .send({ code: 'GITOPS_NOT_FOUND', message: `no dashboard file ${request.params.file}` });
    return reply.type(file.type).header('cache-control', 'no-cache').send(file.body);
  });
}
