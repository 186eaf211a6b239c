import swagger from '@fastify/swagger';
import type { ApiGuard } from '@gitops/service';
import type { Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { CSV_HEADER, auditRecords, csvLine } from '../audit/export.js';
import { verifyLedger } from '../audit/ledger.js';
import type { CheckpointSigner } from '../audit/signing.js';
import { notFound } from '../errors.js';
import type { Sql } from '../ports.js';
import { buildMetrics } from '../queries/builds.js';
import { doraMetrics } from '../queries/dora.js';
import { getPipeline, listPipelines } from '../queries/pipelines.js';
import { decodeCursor } from '../queries/where.js';
import type { StoredSignal } from './live.js';
import { badRequest, rangeOf } from './range.js';
import { AuditQuery, EventsQuery, PipelineParams, PipelinesQuery, RangeQuery } from './schemas.js';
import { eventTypes, resumeAfter, streamEvents } from './sse.js';

export interface ApiDeps {
  db: Sql;
  signer: CheckpointSigner;
  stored: StoredSignal;
  /** Who may read the audit ledger (tokens, or loopback clients without them). */
  auditGuard: ApiGuard;
}

const pipelineCursor = (cursor: string | undefined): [string, string] | undefined => {
  if (cursor === undefined) return undefined;
  const key = decodeCursor(cursor);
  if (
    key?.length !== 2 ||
    typeof key[0] !== 'string' ||
    typeof key[1] !== 'string' ||
    Number.isNaN(Date.parse(key[0]))
  ) {
    throw badRequest('cursor: not a nextCursor this API answered');
  }
  return [key[0], key[1]];
};

const auditCursor = (cursor: string | undefined) => {
  if (cursor === undefined) return undefined;
  if (!/^\d{1,15}$/.test(cursor)) throw badRequest('cursor: not a nextCursor this API answered');
  return Number(cursor);
};

function readRoutes(api: FastifyInstance, { db, stored }: ApiDeps) {
  api.get<{ Querystring: Static<typeof PipelinesQuery> }>(
    '/api/v1/pipelines',
    { schema: { querystring: PipelinesQuery, tags: ['pipelines'], summary: 'Pipelines, newest first' } },
    (request) => listPipelines(db, { ...request.query, after: pipelineCursor(request.query.cursor) }),
  );
  api.get<{ Params: Static<typeof PipelineParams> }>(
    '/api/v1/pipelines/:id',
    { schema: { params: PipelineParams, tags: ['pipelines'], summary: 'One pipeline with every stage' } },
    async (request) =>
      (await getPipeline(db, request.params.id)) ??
      Promise.reject(notFound(`no pipeline ${request.params.id}`)),
  );
  api.get<{ Querystring: Static<typeof RangeQuery> }>(
    '/api/v1/metrics/builds',
    {
      schema: {
        querystring: RangeQuery,
        tags: ['metrics'],
        summary: 'Build counts, durations, failures, tests, coverage',
      },
    },
    (request) => buildMetrics(db, { app: request.query.app, ...rangeOf(request.query) }),
  );
  api.get<{ Querystring: Static<typeof RangeQuery> }>(
    '/api/v1/metrics/dora',
    { schema: { querystring: RangeQuery, tags: ['metrics'], summary: 'The DORA metrics per environment' } },
    (request) => doraMetrics(db, { app: request.query.app, ...rangeOf(request.query) }),
  );
  api.get<{ Querystring: Static<typeof EventsQuery> }>(
    '/api/v1/events',
    {
      schema: { querystring: EventsQuery, tags: ['events'], summary: 'Server-Sent Events of stored events' },
    },
    (request, reply) =>
      streamEvents(request, reply, {
        db,
        stored,
        filter: { app: request.query.app, types: eventTypes(request.query.type) },
        after: resumeAfter(request.headers['last-event-id']),
      }),
  );
}

function auditRoutes(api: FastifyInstance, { db, signer }: ApiDeps) {
  api.get<{ Querystring: Static<typeof AuditQuery> }>(
    '/api/v1/audit',
    {
      schema: { querystring: AuditQuery, tags: ['audit'], summary: 'Compliance records, JSON pages or CSV' },
    },
    async (request, reply) => {
      const { app, format, limit } = request.query;
      const filter = {
        app,
        ...rangeOf(request.query, new Date()),
        afterSeq: auditCursor(request.query.cursor),
      };
      if (format === 'json') {
        const records = await auditRecords(db, { ...filter, limit });
        const last = records.length === limit ? records[records.length - 1] : undefined;
        return { records, nextCursor: last ? String(last.seq) : null };
      }
      reply.header('content-type', 'text/csv; charset=utf-8');
      reply.header('content-disposition', 'attachment; filename="audit.csv"');
      let text = CSV_HEADER;
      for (let afterSeq = filter.afterSeq; ; ) {
        const page = await auditRecords(db, { ...filter, afterSeq, limit: 5000 });
        text += page.map(csvLine).join('');
        if (page.length < 5000) return text;
        afterSeq = page[page.length - 1]!.seq;
      }
    },
  );
  api.get('/api/v1/audit/verify', { schema: { tags: ['audit'], summary: 'Check the hash chain' } }, () =>
    verifyLedger(db, signer),
  );
}

/** The metrics API (CONTRACT section 6) and its OpenAPI document at /docs. */
export const apiRoutes = (deps: ApiDeps) => (app: FastifyInstance) => {
  app.register(swagger, {
    openapi: {
      info: { title: 'gitops metrics', version: '1.0.0' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });
  app.get('/docs', { schema: { hide: true } }, () => app.swagger());
  app.register(async (api) => readRoutes(api, deps));
  app.register(async (api) => {
    api.addHook('onRequest', deps.auditGuard);
    auditRoutes(api, deps);
  });
};
