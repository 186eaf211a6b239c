import type { Sql } from '../ports.js';
import { Where, limit } from '../queries/where.js';
import type { AuditRecord } from './chain.js';
import { AUDIT_COLUMNS, toRecord } from './ledger.js';

export interface AuditFilter {
  app?: string | undefined;
  from: Date;
  to: Date;
  /** Records after this seq. */
  afterSeq?: number | undefined;
  limit: number;
}

/** Ledger records in chain order, filtered by time and app. */
export async function auditRecords(db: Sql, filter: AuditFilter): Promise<AuditRecord[]> {
  const where = new Where()
    .add('at >= $?', filter.from.toISOString())
    .add('at < $?', filter.to.toISOString())
    .add('app = $?', filter.app)
    .add('seq > $?', filter.afterSeq);
  const rows = await db.query(
    `select ${AUDIT_COLUMNS} from audit ${where} order by seq ${limit(filter.limit)}`,
    where.params,
  );
  return rows.map((row) => toRecord(row as Parameters<typeof toRecord>[0]));
}

const CSV_COLUMNS = [
  'seq',
  'at',
  'app',
  'pipelineId',
  'kind',
  'actor',
  'eventId',
  'details',
  'prevHash',
  'hash',
] as const;

const csvField = (value: unknown) => {
  const text =
    value === null || value === undefined
      ? ''
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

export const CSV_HEADER = `${CSV_COLUMNS.join(',')}\n`;

/** One CSV line per record (RFC 4180 quoting; details as JSON). */
export const csvLine = (record: AuditRecord) =>
  `${CSV_COLUMNS.map((column) => csvField(record[column])).join(',')}\n`;
