import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildStarted, sourceReceived, testLogger, uniqueApp } from '@gitops/testing';
import { describe, expect, it } from 'vitest';
import { Outbox, type OutboxEntry } from './outbox.js';

const entry = (): OutboxEntry => ({
  events: [buildStarted(sourceReceived(uniqueApp()))],
  done: { key: `job.test.${uniqueApp()}`, value: 'completed' },
});

describe('the outbox', () => {
  it('delivers its entries in the order they were kept, each once, then is empty', async () => {
    const outbox = new Outbox(await mkdtemp(join(tmpdir(), 'outbox-')), testLogger());
    const kept = [entry(), entry(), entry()];
    for (const e of kept) await outbox.keep(e);
    const delivered: OutboxEntry[] = [];
    expect(await outbox.drain(async (e) => void delivered.push(e))).toBe(3);
    expect(delivered).toEqual(kept);
    expect(await outbox.drain(async (e) => void delivered.push(e))).toBe(0);
    expect(await readdir(outbox.dir)).toEqual([]);
  });

  it('stops at the first entry NATS refuses, keeping it and the rest for the next pass', async () => {
    const outbox = new Outbox(await mkdtemp(join(tmpdir(), 'outbox-')), testLogger());
    const kept = [entry(), entry()];
    for (const e of kept) await outbox.keep(e);
    await expect(
      outbox.drain(async () => {
        throw new Error('NATS connection closed');
      }),
    ).rejects.toThrow('NATS connection closed');
    const delivered: OutboxEntry[] = [];
    expect(await outbox.drain(async (e) => void delivered.push(e))).toBe(2);
    expect(delivered).toEqual(kept);
  });

  it('delivers each entry once when two replicas share the directory and drain at once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'outbox-'));
    const [a, b] = [new Outbox(dir, testLogger()), new Outbox(dir, testLogger())];
    const kept = Array.from({ length: 20 }, entry);
    for (const e of kept) await a.keep(e);
    const delivered: string[] = [];
    const deliver = async (e: OutboxEntry) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      delivered.push(e.done!.key);
    };
    const [byA, byB] = await Promise.all([a.drain(deliver), b.drain(deliver)]);
    expect(byA + byB).toBe(20);
    expect(delivered.sort()).toEqual(kept.map((e) => e.done!.key).sort());
  });
});
