// Faults end to end: services run as their own processes against real servers, and are killed the
// way the kernel or an operator kills them. Each case asserts what must survive and what must not.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type BusFixture, startBusFixture } from '@gitops/fixtures';
import {
  type GitServer,
  type RedisServer,
  type ServiceProcess,
  type StoredMessage,
  git,
  makeCommit,
  sourceReceived,
  spawnService,
  startGitServer,
  startRedisServer,
  testApplication,
  writeApplications,
} from '@gitops/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

/** Running, not a zombie: an orphan reparented to a PID 1 that does not reap would stay a zombie. */
async function isRunning(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return stat !== '' && stat[stat.lastIndexOf(')') + 2] !== 'Z';
}

const isTerminal = (message: StoredMessage) => message.json.type !== 'dev.gitops.build.started.v1';

describe('a builder killed with SIGKILL in the middle of a build', () => {
  let bus: BusFixture;
  let redis: RedisServer;
  let gitServer: GitServer;
  const builders: ServiceProcess[] = [];
  /** Process groups a failed assertion would leave running. */
  const stepGroups: number[] = [];

  beforeAll(async () => {
    [bus, redis, gitServer] = await Promise.all([startBusFixture(), startRedisServer(), startGitServer()]);
  });
  afterAll(async () => {
    for (const group of stepGroups) {
      try {
        process.kill(-group, 'SIGKILL');
      } catch {
        // gone, as it should be
      }
    }
    await Promise.all(builders.map((builder) => builder.stop()));
    await Promise.all([bus?.dispose(), redis?.dispose(), gitServer?.dispose()]);
  });

  it('leaves no process of its build running, and a new builder ends the pipeline within seconds', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gitops-faults-'));
    const repo = await gitServer.createBareRepo('acme/slow');
    const work = join(dir, 'work');
    await git(['clone', '-q', repo.url, work]);
    // The first attempt leaves a background child in its process group and sleeps; the attempt of
    // the builder that takes the job over finds the marker and passes at once.
    const step = [
      `if [ -e ${dir}/attempted ]; then exit 0; fi`,
      `touch ${dir}/attempted`,
      'sleep 300 &',
      `echo "$$ $!" > ${dir}/pids.tmp && mv ${dir}/pids.tmp ${dir}/pids`,
      'wait',
    ];
    const sha = await makeCommit(
      work,
      {
        Dockerfile: 'FROM scratch\nCOPY app.txt /app.txt\n',
        'app.txt': 'hello\n',
        '.gitops.yaml': `steps:\n  - name: test\n    run: |\n${step.map((line) => `      ${line}`).join('\n')}\n`,
      },
      'a slow test',
    );
    await git(['push', '-q', 'origin', 'HEAD:main'], { cwd: work });
    const app = testApplication('slow', { repoURL: repo.url });
    const env = {
      ...bus.env,
      REDIS_URL: redis.url,
      GITOPS_APPS: await writeApplications(dir, [app]),
      GITOPS_DATA_DIR: join(dir, 'data'),
      // The steps' own sandbox has its own PID namespace; this is the path without it.
      BUILD_SANDBOX: 'off',
    };
    const killed = await spawnService('builder', env);
    builders.push(killed);
    const source = sourceReceived('slow', { repoURL: repo.url, commit: sha });
    await bus.bus.publish(source);
    const pidsFile = join(dir, 'pids');
    await vi.waitFor(() => readFile(pidsFile), { timeout: 20_000, interval: 100 });
    const pids = (await readFile(pidsFile, 'utf8')).trim().split(' ').map(Number);
    expect(pids).toHaveLength(2);
    stepGroups.push(pids[0]!); // the step's shell leads its process group

    killed.child.kill('SIGKILL');
    await vi.waitFor(() => expect(killed.child.signalCode).toBe('SIGKILL'));
    await vi.waitFor(async () => expect(await Promise.all(pids.map(isRunning))).toEqual([false, false]), {
      timeout: 2000,
      interval: 50,
    });

    builders.push(await spawnService('builder', env));
    const restarted = Date.now();
    const events = () => bus.events('gitops.v1.slow.build.>', 0);
    await vi.waitFor(async () => expect((await events()).filter(isTerminal)).toHaveLength(1), {
      timeout: 20_000,
      interval: 200,
    });
    expect(Date.now() - restarted).toBeLessThan(15_000);
    await sleep(2000); // a second result would be stored: the duplicate window is 200 ms here
    const terminal = (await events()).filter(isTerminal);
    expect(terminal.map((message) => [message.json.subject, message.json.type])).toEqual([
      [source.data.pipelineId, 'dev.gitops.build.succeeded.v1'],
    ]);
  }, 60_000);
});
