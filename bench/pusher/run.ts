// bench/pusher: a 200 MB image of 10 random layers, pushed by @gitops/oci cold, warm (every blob present)
// and with one layer changed, against curl uploading the same blobs (POST, then PUT --data-binary @file)
// to the same registry in the same run. Run: node --import tsx bench/pusher/run.ts
// BENCH_LAYERS, BENCH_LAYER_MB and BENCH_ROUNDS change the shape.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegistryClient, pushLayout } from '../../packages/oci/src/index.js';
import { startRegistry } from '../../packages/testing/src/registry.js';
import { curlUpload } from './curl-upload.js';
import { type BenchImage, writeBenchImage } from './image.js';
import { type Row, printReport, row } from './report.js';

const LAYERS = Number(process.env.BENCH_LAYERS ?? 10);
const LAYER_BYTES = Number(process.env.BENCH_LAYER_MB ?? 20) * 1e6;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

async function seconds(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return (performance.now() - started) / 1000;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/**
 * Rounds of curl, a one-blob-at-a-time push and a default push, each into a fresh repository and taken in
 * turn, so neither side always meets a warmer page cache. Answers the median seconds of each.
 */
async function coldRounds(registryUrl: string, client: RegistryClient, image: BenchImage) {
  const runs = { curl: [] as number[], serial: [] as number[], cold: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    runs.curl.push(
      await seconds(async () => {
        for (const blob of image.blobs)
          await curlUpload(
            registryUrl,
            `bench/curl-${round}`,
            image.layout.blobPath(blob.digest),
            blob.digest,
          );
      }),
    );
    // One stream at a time, as curl: this row compares the protocol code alone.
    runs.serial.push(
      await seconds(() =>
        pushLayout(client, `bench/serial-${round}`, image.layout, image.root, { concurrency: 1 }),
      ),
    );
    runs.cold.push(
      await seconds(() =>
        pushLayout(client, `bench/cold-${round}`, image.layout, image.root, { tags: ['v1'] }),
      ),
    );
  }
  return runs;
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'bench-pusher-'));
  const registry = await startRegistry();
  const client = new RegistryClient({ url: registry.url });
  try {
    const image = await writeBenchImage(
      join(dir, 'v1'),
      Array.from({ length: LAYERS }, () => LAYER_BYTES),
    );
    const total = image.blobs.reduce((n, b) => n + b.size, 0);
    const runs = await coldRounds(registry.url, client, image);
    const warm = await timedPush(client, 'bench/warm-target', image, true);
    const layers = image.blobs.slice(0, -1).map((l, i) => (i === Math.floor(LAYERS / 2) ? LAYER_BYTES : l));
    const changed = await timedPush(
      client,
      'bench/warm-target',
      await writeBenchImage(join(dir, 'v2'), layers, image.layout),
      false,
    );
    const curl = median(runs.curl);
    const rows: Row[] = [
      row('curl POST+PUT (baseline)', total, 0, curl, curl),
      row('cold push, 1 blob at a time', total, 0, median(runs.serial), curl),
      row('cold push, 4 blobs at once (default)', total, 0, median(runs.cold), curl),
      row('warm push (all present)', warm.uploaded, warm.skipped, warm.seconds, curl),
      row('one layer changed', changed.uploaded, changed.skipped, changed.seconds, curl),
    ];
    printReport({ layers: LAYERS, layerBytes: LAYER_BYTES, rounds: ROUNDS, runs, rows });
  } finally {
    client.close();
    await registry.dispose();
    await rm(dir, { recursive: true, force: true });
  }
}

/** One timed push; with `prime`, the image is pushed once untimed first, so the timed push finds it all. */
async function timedPush(client: RegistryClient, repository: string, image: BenchImage, prime: boolean) {
  if (prime) await pushLayout(client, repository, image.layout, image.root, { tags: ['v1'] });
  let result = { bytesUploaded: 0, bytesSkipped: 0 };
  const took = await seconds(async () => {
    result = await pushLayout(client, repository, image.layout, image.root, { tags: [prime ? 'v1' : 'v2'] });
  });
  return { uploaded: result.bytesUploaded, skipped: result.bytesSkipped, seconds: took };
}

await main();
