import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '@gitops/errors';
import { canonicalJson } from './chain.js';

/** What a checkpoint signs: the last pruned record and when. */
export interface CheckpointBody {
  throughSeq: number;
  lastHash: string;
  prunedAt: string;
}

export interface CheckpointSigner {
  sign(body: CheckpointBody): string;
  verify(body: CheckpointBody, signature: string): boolean;
}

const MIN_KEY_BYTES = 32;

/** HMAC-SHA256 checkpoints under `key`. */
export function hmacSigner(key: Buffer): CheckpointSigner {
  const sign = (body: CheckpointBody) => createHmac('sha256', key).update(canonicalJson(body)).digest('hex');
  return {
    sign,
    verify: (body, signature) => {
      const expected = Buffer.from(sign(body), 'hex');
      const given = Buffer.from(signature, 'hex');
      return expected.length === given.length && timingSafeEqual(expected, given);
    },
  };
}

/**
 * The checkpoint key: AUDIT_KEY_FILE, or a random key created once at `fallbackFile` (mode 0600).
 * Replicas sharing a PostgreSQL store must share the key: set AUDIT_KEY_FILE for them.
 */
export function loadCheckpointKey(file: string | undefined, fallbackFile: string): Buffer {
  const path = file ?? fallbackFile;
  if (!file && !existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, randomBytes(MIN_KEY_BYTES).toString('hex'), { mode: 0o600, flag: 'wx' });
  }
  let key: Buffer;
  try {
    key = Buffer.from(readFileSync(path, 'utf8').trim());
  } catch (err) {
    throw new AppError(
      'GITOPS_METRICS_AUDIT_KEY',
      `AUDIT_KEY_FILE ${path} cannot be read (${(err as NodeJS.ErrnoException).code})`,
    );
  }
  if (key.length < MIN_KEY_BYTES) {
    throw new AppError(
      'GITOPS_METRICS_AUDIT_KEY',
      `AUDIT_KEY_FILE ${path} holds fewer than ${MIN_KEY_BYTES} bytes`,
    );
  }
  return key;
}
