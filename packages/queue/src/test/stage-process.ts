// A stage runner in a process of its own, whose handler never finishes: a test kills it mid-job.
// Run with `node --import tsx` and TSX_TSCONFIG_PATH pointing at tsconfig.check.json (@gitops/* paths).
import { setTimeout as sleep } from 'node:timers/promises';
import { connectBus } from '@gitops/bus';
import { testLogger } from '@gitops/testing';
import { createStageRunner } from '../stage-runner.js';
import { FAST } from './fast.js';

const env = (name: string) => process.env[name] ?? '';
const logger = testLogger();
const bus = await connectBus({ servers: [env('NATS_URL')], name: 'stage-process', logger });
const runner = createStageRunner({
  ...FAST,
  service: env('SERVICE'),
  bus,
  redisUrl: env('REDIS_URL'),
  consumes: ['source.received'],
  logger,
  handlers: {
    'source.received': async (_event, { jobId }) => {
      process.stdout.write(`started ${jobId}\n`);
      await sleep(60_000);
      return [];
    },
  },
});
await runner.start();
process.stdout.write('ready\n');
