import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GitopsEvent } from '@gitops/contracts';
import { type BusFixture, startBusFixture } from '@gitops/fixtures';
import { type GitServer, type RedisServer, startGitServer, startRedisServer } from '@gitops/testing';

/** What an integration test of the config updater runs against: NATS, Redis, git and a scratch dir. */
export interface Servers {
  fixture: BusFixture;
  redisServer: RedisServer;
  gitServer: GitServer;
  dir: string;
  stop(): Promise<void>;
}

export async function startServers(
  dirPrefix: string,
  bus?: Parameters<typeof startBusFixture>[0],
): Promise<Servers> {
  const [fixture, redisServer, gitServer] = await Promise.all([
    startBusFixture(bus),
    startRedisServer(),
    startGitServer(),
  ]);
  const dir = await mkdtemp(join(tmpdir(), dirPrefix));
  return {
    fixture,
    redisServer,
    gitServer,
    dir,
    stop: async () => {
      await Promise.all([fixture.dispose(), redisServer.dispose(), gitServer.dispose()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Hands every event under `filterSubject` to `onEvent`, through a durable of its own. */
export const watchEvents = (servers: Servers, filterSubject: string, onEvent: (event: GitopsEvent) => void) =>
  servers.fixture.bus.consume({ durable: `test-${randomUUID()}`, filterSubject }, async ({ event }) => {
    onEvent(event.event);
  });
