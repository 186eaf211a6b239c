import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { access, mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type GitServer,
  type NatsServer,
  type RedisServer,
  startGitServer,
  startNatsServer,
  startRedisServer,
} from '@gitops/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuildOptions, buildPushed } from '../test/build-harness.js';
import { processesWith } from '../test/pids.js';

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );
const DIST = resolve(import.meta.dirname, '../../dist');

/** Connects to host:port and prints what happened: the steps' probe of the network. */
const PROBE = `const [host, port] = process.argv.slice(2);
require('net').connect(Number(port), host)
  .on('connect', () => { console.log('CONNECTED', host, port); process.exit(0); })
  .on('error', (err) => console.log('UNREACHABLE', host, port, err.code))
  .setTimeout(2000, () => { console.log('UNREACHABLE', host, port, 'timeout'); process.exit(0); });
`;

/** A commit whose steps are `scripts` (run in order, each allowed to fail) and a trivial image. */
const attack = (scripts: Record<string, string>) => ({
  Dockerfile: 'FROM scratch\nCOPY app.txt /app.txt\n',
  'app.txt': 'hello\n',
  'probe.js': PROBE,
  ...Object.fromEntries(Object.entries(scripts).map(([name, body]) => [`${name}.sh`, body])),
  '.gitops.yaml': `steps:\n${Object.keys(scripts)
    .map((name) => `  - { name: ${name}, run: "sh ${name}.sh || true" }\n`)
    .join('')}`,
});

describe('a step in the sandbox, attacking the builder', () => {
  let git: GitServer;
  let nats: NatsServer;
  let redis: RedisServer;
  /** A process of the platform, with a secret in its environment, as the builder's own would have. */
  let platformProcess: ReturnType<typeof spawn>;
  const platformSecret = `platform-secret-${randomUUID()}`;

  beforeAll(async () => {
    [git, nats, redis] = await Promise.all([startGitServer(), startNatsServer(), startRedisServer()]);
    platformProcess = spawn('sleep', ['300'], { env: { PLATFORM_MARKER: platformSecret }, stdio: 'ignore' });
  });
  afterAll(async () => {
    platformProcess?.kill();
    await Promise.all([git?.dispose(), nats?.dispose(), redis?.dispose()]);
  });

  const build = (scripts: Record<string, string>, options: BuildOptions = {}) =>
    buildPushed(git, attack(scripts), options);

  it("sees no other process's environment, none of the builder's variables, and no /etc/shadow", async () => {
    const shadow = (await readFile('/etc/shadow', 'utf8')).split('\n')[0]!;
    const env = { ...process.env, GIT_PASSWORD: `git-${platformSecret}`, NATS_URL: nats.url };
    const { outcome, log } = await build(
      {
        environ: 'for f in /proc/[0-9]*/environ; do echo "== $f"; tr "\\0" "\\n" < "$f"; done',
        env: 'env; echo "[$GIT_PASSWORD][$NATS_URL]"',
        shadow: 'cat /etc/shadow; ls /etc',
      },
      { env },
    );
    expect(outcome.failure).toBeUndefined();
    expect(log).toContain('== /proc/1/environ');
    expect(log).toContain('[][]');
    expect(log).toContain('No such file or directory');
    expect(log).not.toContain(platformSecret);
    expect(log).not.toContain(shadow);
    expect(log).not.toContain(nats.url);
  });

  it('writes nowhere but its workspace: not the data directory, another workspace, /tmp or dist/', async () => {
    const dataRoot = await mkdtemp(join(tmpdir(), 'builder-data-'));
    const other = join(dataRoot, 'workspaces', 'other-pipeline', 'src');
    await mkdir(other, { recursive: true });
    await writeFile(join(other, 'app.txt'), 'theirs\n');
    const marker = `pwned-${randomUUID()}`;
    const targets = [
      join(dataRoot, marker),
      join(dataRoot, 'logs', marker),
      join(other, 'app.txt'),
      join(tmpdir(), marker),
      join(DIST, marker),
    ];
    const { outcome, log } = await build(
      {
        write: targets
          .map((path) => `echo ${marker} >> ${path}; echo ${marker} >> "$HOME/../../../${marker}"`)
          .join('\n'),
        ours: `echo ours > "$HOME/ours" && cat "$HOME/ours" && touch /tmp/private && echo tmp-ok`,
      },
      { dataRoot },
    );
    expect(outcome.failure).toBeUndefined();
    expect(log).toContain('ours\ntmp-ok');
    for (const path of targets.filter((p) => !p.endsWith('app.txt')))
      expect(await exists(path), path).toBe(false);
    expect(await readFile(join(other, 'app.txt'), 'utf8')).toBe('theirs\n');
  });

  it("runs git in its checkout, whose objects it reads from the repository's mirror, read-only", async () => {
    const { outcome, log, sha, dataDir } = await build({
      git: 'git log -1 --format=commit=%H; touch "$(cat .git/objects/info/alternates)/pwned" || echo mirror-read-only',
    });
    expect(outcome.failure).toBeUndefined();
    expect(log).toContain(`commit=${sha}`);
    expect(log).toContain('mirror-read-only');
    const mirrored = await readdir(join(dataDir.root, 'mirrors'), { recursive: true });
    expect(mirrored.filter((path) => path.endsWith('pwned'))).toEqual([]);
  });

  it.each(['none', 'egress'] as const)(
    "cannot reach the platform's NATS and Redis on the host's loopback (network %s)",
    async (network) => {
      const targets = [nats, redis].flatMap(({ port }) => [`127.0.0.1 ${port}`, `10.0.2.2 ${port}`]);
      const { outcome, log } = await build(
        { connect: targets.map((target) => `node probe.js ${target}`).join('\n') },
        { build: { network } },
      );
      expect(outcome.failure).toBeUndefined();
      expect(log).not.toContain('CONNECTED');
      for (const target of targets) expect(log).toContain(`UNREACHABLE ${target}`);
    },
  );

  it("gets user-mode networking with egress: tap0 is up and the host's other addresses answer", async () => {
    const address = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    const server = createServer((socket) => socket.end());
    await new Promise<void>((done) => server.listen(0, address ?? '127.0.0.1', done));
    const { port } = server.address() as { port: number };
    try {
      const { outcome, log } = await build(
        {
          net: `cat /proc/net/dev; cat /etc/resolv.conf; ${address ? `node probe.js ${address} ${port}` : ''}`,
        },
        { build: { network: 'egress' } },
      );
      expect(outcome.failure).toBeUndefined();
      expect(log).toMatch(/^\s*tap0:/m);
      expect(log).toContain('nameserver 10.0.2.3');
      if (address) expect(log).toContain(`CONNECTED ${address} ${port}`);
    } finally {
      server.close();
    }
  });

  it('leaves no process behind, setsid or not, once its step ends', async () => {
    const delay = `1.${process.hrtime()[1]}`;
    const late = join(tmpdir(), `late-${randomUUID()}`);
    const { outcome } = await build({
      escape: `setsid sh -c 'sleep ${delay}; touch ${late}; touch "$HOME/late"' & sleep 0.2; echo started`,
    });
    expect(outcome.failure).toBeUndefined();
    expect(await processesWith(`sleep ${delay}`)).toEqual([]);
    await sleep(1500);
    expect(await exists(late)).toBe(false);
  });

  it('fails the build once the workspace grows past BUILD_WORKSPACE_MAX, many files or one', async () => {
    const max = 2 * 1024 * 1024;
    const many = await build(
      { fill: 'i=0; while [ $i -lt 200 ]; do head -c 262144 /dev/zero > f$i; i=$((i+1)); sleep 0.05; done' },
      { workspaceMaxBytes: max },
    );
    const reason = `workspace over BUILD_WORKSPACE_MAX (${max} bytes)`;
    expect(many.outcome.failure).toMatchObject({ reason: 'step-failed', step: 'fill', message: reason });
    expect(many.outcome.durationMs).toBeLessThan(8000);
    const one = await build(
      { big: 'head -c 20000000 /dev/zero > big; ls -l big' },
      { workspaceMaxBytes: max },
    );
    expect(one.outcome.failure).toMatchObject({ reason: 'step-failed', step: 'big', message: reason });
  });

  it("gets the application's declared env and secrets only, the secret redacted in every form", async () => {
    const secret = `s3cret/${randomUUID()}+more=`;
    const env = { ...process.env, DEMO_DEPLOY_TOKEN: secret, GIT_PASSWORD: 'builder-git-password' };
    const node = (expr: string) => `node -e "console.log(${expr})"`;
    const { outcome, log } = await build(
      {
        show: [
          'echo "raw $DEPLOY_TOKEN level=$LEVEL git=[$GIT_PASSWORD]"',
          'printf %s "$DEPLOY_TOKEN" | base64',
          'printf "user:%s" "$DEPLOY_TOKEN" | base64',
          node('encodeURIComponent(process.env.DEPLOY_TOKEN)'),
          node("Buffer.from(process.env.DEPLOY_TOKEN).toString('base64url')"),
          node("Buffer.from(process.env.DEPLOY_TOKEN).toString('hex')"),
          'echo "length ${#DEPLOY_TOKEN}"',
        ].join('\n'),
      },
      {
        env,
        build: { env: { LEVEL: 'debug' }, secrets: [{ name: 'DEPLOY_TOKEN', fromEnv: 'DEMO_DEPLOY_TOKEN' }] },
      },
    );
    expect(outcome.failure).toBeUndefined();
    expect(log).toContain('raw [redacted] level=debug git=[]');
    expect(log).toContain(`length ${secret.length}`);
    const forms = [
      secret,
      Buffer.from(secret).toString('base64').slice(0, 40),
      Buffer.from(`user:${secret}`).toString('base64').slice(8, 48),
      encodeURIComponent(secret),
      Buffer.from(secret).toString('base64url').slice(0, 40),
      Buffer.from(secret).toString('hex'),
    ];
    for (const form of forms) expect(log, form).not.toContain(form);
    expect(log.match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(6);
  });
});
