import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Application } from '@gitops/config';
import { type BusFixture, startBusFixture, startServiceFixture } from '@gitops/fixtures';
import type { StartedService } from '@gitops/service';
import type { StoredMessage } from '@gitops/testing';
import { DataDir } from '../data-dir.js';
import { builder } from '../service.js';

export interface StageHarness {
  bus: BusFixture;
  dataDir: DataDir;
  /** How many times the pipeline's build ran: every run writes its header line to the build log. */
  buildsRun(app: string, pipelineId: string): Promise<number>;
  /** A replica of the builder service: every one started by a test shares its queue, Redis and data dir. */
  replica(apps: Application[]): Promise<StartedService<unknown>>;
  /** The build.* events of `app` stored in the stream, waiting for at least `atLeast`. */
  buildEvents(app: string, atLeast: number): Promise<StoredMessage[]>;
  dispose(): Promise<void>;
}

/** A NATS server and data directory of the test's own, beside a shared Redis, and builder replicas on them. */
export async function startStageHarness(redisUrl: string): Promise<StageHarness> {
  const bus = await startBusFixture();
  const dataDir = new DataDir(await mkdtemp(join(tmpdir(), 'builder-stage-')));
  const queuePrefix = `test-${randomUUID()}`;
  const replicas: StartedService<unknown>[] = [];
  return {
    bus,
    dataDir,
    buildsRun: async (app, pipelineId) => {
      const log = await readFile(dataDir.log(app, pipelineId).path, 'utf8');
      return log.split('\n').filter((line) => line.startsWith(`== pipeline ${pipelineId},`)).length;
    },
    replica: async (apps) => {
      const replica = await startServiceFixture(builder, {
        bus,
        redisUrl,
        apps,
        dataDir: dataDir.root,
        queuePrefix,
        env: { STEP_TIMEOUT: '60s', BUILD_TIMEOUT: '120s' },
      });
      replicas.push(replica);
      return replica;
    },
    buildEvents: (app, atLeast) => bus.events(`gitops.v1.${app}.build.>`, atLeast),
    dispose: async () => {
      await Promise.all(replicas.map((replica) => replica.stop()));
      await bus.dispose();
    },
  };
}
