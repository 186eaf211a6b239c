import { isEventName } from '@gitops/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Sql } from '../ports.js';
import { Where } from '../queries/where.js';
import type { StoredSignal } from './live.js';
import { badRequest } from './range.js';

const PAGE = 500;
const POLL_MS = 1000;
const HEARTBEAT_MS = 15_000;

export interface StreamFilter {
  app?: string | undefined;
  types?: string[] | undefined;
}

/** The `type` parameter as event names; an unknown one is a 400 naming it. */
export function eventTypes(type: string | undefined): string[] | undefined {
  if (type === undefined || type === '') return undefined;
  const names = type.split(',').map((name) => name.trim());
  const unknown = names.find((name) => !isEventName(name));
  if (unknown !== undefined) throw badRequest(`type: "${unknown}" is not an event name (docs/events.md)`);
  return names;
}

/** Last-Event-ID as a stored sequence; anything else is a 400. */
export function resumeAfter(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,15}$/.test(value))
    throw badRequest(`Last-Event-ID: "${value.slice(0, 32)}" is not an event sequence this stream sent`);
  return Number(value);
}

async function page(db: Sql, after: number, filter: StreamFilter) {
  const where = new Where()
    .add('seq > $?', after)
    .add('app = $?', filter.app)
    .add('name = any($?::text[])', filter.types);
  return db.query<{ seq: number; name: string; envelope: unknown }>(
    `select seq::float8 as seq, name, envelope from events ${where} order by seq limit ${PAGE}`,
    where.params,
  );
}

/**
 * Streams stored events as Server-Sent Events (`id` = the stored sequence, `event` = the event
 * name, `data` = the CloudEvents envelope), from after Last-Event-ID, or from now without one.
 */
export async function streamEvents(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: { db: Sql; stored: StoredSignal; filter: StreamFilter; after: number | undefined },
): Promise<void> {
  let after =
    deps.after ??
    (await deps.db.query<{ seq: number }>('select coalesce(max(seq), 0)::float8 as seq from events'))[0]!.seq;
  const closed = new AbortController();
  request.raw.on('close', () => closed.abort());
  reply.hijack();
  reply.raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  reply.raw.write(`retry: 2000\n: stream after ${after}\n\n`);
  let quietSince = Date.now();
  while (!closed.signal.aborted) {
    const rows = await page(deps.db, after, deps.filter).catch(() => []);
    for (const row of rows) {
      reply.raw.write(`id: ${row.seq}\nevent: ${row.name}\ndata: ${JSON.stringify(row.envelope)}\n\n`);
      after = row.seq;
    }
    if (rows.length === PAGE) continue;
    if (rows.length > 0) quietSince = Date.now();
    else if (Date.now() - quietSince > HEARTBEAT_MS) {
      reply.raw.write(': keep-alive\n\n');
      quietSince = Date.now();
    }
    await deps.stored.wait(POLL_MS, closed.signal);
  }
  reply.raw.end();
}
