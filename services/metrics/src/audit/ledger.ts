import type { Sql } from '../ports.js';
import { type AuditRecord, type ChainBreak, verifyRecords } from './chain.js';
import type { CheckpointSigner } from './signing.js';

const PAGE = 5000;

export const AUDIT_COLUMNS = `seq::float8 as seq, ms(at) as at_ms, app, pipeline_id as "pipelineId", kind, actor,
  event_id as "eventId", details, prev_hash as "prevHash", hash`;

type AuditRow = Omit<AuditRecord, 'at'> & { at_ms: number };

export const toRecord = ({ at_ms, ...row }: AuditRow): AuditRecord => ({
  ...row,
  at: new Date(at_ms).toISOString(),
});

export interface Verification {
  ok: boolean;
  /** Records checked (those after the latest checkpoint). */
  checked: number;
  firstBroken?: ChainBreak;
  checkpoint?: { throughSeq: number; prunedAt: string };
}

interface CheckpointRow {
  through_seq: number;
  last_hash: string;
  pruned_at: number;
  signature: string;
}

async function latestCheckpoint(db: Sql) {
  const [row] = await db.query<CheckpointRow>(
    'select through_seq::float8 as through_seq, last_hash, ms(pruned_at) as pruned_at, signature from audit_checkpoints order by through_seq desc limit 1',
  );
  if (!row) return undefined;
  return {
    body: {
      throughSeq: row.through_seq,
      lastHash: row.last_hash,
      prunedAt: new Date(row.pruned_at).toISOString(),
    },
    signature: row.signature,
  };
}

async function pageAfter(db: Sql, seq: number, through = Number.MAX_SAFE_INTEGER) {
  const rows = await db.query<AuditRow>(
    `select ${AUDIT_COLUMNS} from audit where seq > $1 and seq <= $2 order by seq limit ${PAGE}`,
    [seq, through],
  );
  return rows.map(toRecord);
}

/** Walks records after `start` up to `through`, page by page; the first break ends it. */
async function walk(db: Sql, start: { seq: number; hash: string }, through?: number) {
  let next = start;
  let checked = 0;
  for (;;) {
    const page = await pageAfter(db, next.seq, through);
    const result = verifyRecords(next, page);
    checked += page.length;
    if (result.break) return { next: result.next, checked, break: result.break };
    next = result.next;
    if (page.length < PAGE) return { next, checked };
  }
}

/**
 * Checks the whole chain: the latest checkpoint's signature, every record after it, and that the
 * ledger head (updated with every append) names the last record, so a deleted tail shows too.
 */
export async function verifyLedger(db: Sql, signer: CheckpointSigner): Promise<Verification> {
  const checkpoint = await latestCheckpoint(db);
  const summary = checkpoint && {
    throughSeq: checkpoint.body.throughSeq,
    prunedAt: checkpoint.body.prunedAt,
  };
  const withCheckpoint = summary ? { checkpoint: summary } : {};
  if (checkpoint && !signer.verify(checkpoint.body, checkpoint.signature)) {
    const firstBroken = {
      seq: checkpoint.body.throughSeq,
      problem: 'the retention checkpoint signature is not valid',
    };
    return { ok: false, checked: 0, firstBroken, ...withCheckpoint };
  }
  const start = checkpoint
    ? { seq: checkpoint.body.throughSeq, hash: checkpoint.body.lastHash }
    : { seq: 0, hash: '' };
  const walked = await walk(db, start);
  if (walked.break)
    return { ok: false, checked: walked.checked, firstBroken: walked.break, ...withCheckpoint };
  const [head] = await db.query<{ seq: number; hash: string }>(
    'select seq::float8 as seq, hash from ledger_head where id = 1',
  );
  if (head && (head.seq !== walked.next.seq || head.hash !== walked.next.hash)) {
    const firstBroken = {
      seq: walked.next.seq + 1,
      problem: `the ledger ends at record ${head.seq} but record ${walked.next.seq + 1} is missing`,
    };
    return { ok: false, checked: walked.checked, firstBroken, ...withCheckpoint };
  }
  return { ok: true, checked: walked.checked, ...withCheckpoint };
}

export type PruneResult = { pruned: number; throughSeq?: number; refused?: ChainBreak };

/**
 * Removes the records older than `cutoff` from the start of the ledger (up to the first record that
 * is not, so the rest stays one chain) and writes a signed checkpoint naming the last one removed.
 * A prefix that does not verify is never pruned: removing it would hide the tampering.
 */
export function pruneLedger(
  db: Sql,
  signer: CheckpointSigner,
  cutoff: Date,
  now = new Date(),
): Promise<PruneResult> {
  return db.transaction(async (tx) => {
    await tx.query('select 1 from ledger_head where id = 1 for update');
    const [bound] = await tx.query<{ through: number | null }>(
      'select coalesce((select min(seq) from audit where at >= $1), (select seq + 1 from ledger_head where id = 1))::float8 - 1 as through',
      [cutoff.toISOString()],
    );
    const checkpoint = await latestCheckpoint(tx);
    const start = checkpoint
      ? { seq: checkpoint.body.throughSeq, hash: checkpoint.body.lastHash }
      : { seq: 0, hash: '' };
    const through = bound?.through ?? 0;
    if (through <= start.seq) return { pruned: 0 };
    const walked = await walk(tx, start, through);
    if (walked.break) return { pruned: 0, refused: walked.break };
    const body = { throughSeq: through, lastHash: walked.next.hash, prunedAt: now.toISOString() };
    await tx.query(
      'insert into audit_checkpoints (through_seq, last_hash, pruned_at, signature) values ($1, $2, $3, $4)',
      [body.throughSeq, body.lastHash, body.prunedAt, signer.sign(body)],
    );
    await tx.query('delete from audit where seq <= $1', [through]);
    return { pruned: walked.checked, throughSeq: through };
  });
}
