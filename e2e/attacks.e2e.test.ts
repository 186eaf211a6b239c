import { execFileSync } from 'node:child_process';
// The attack suite: one commit whose build steps try what an attacker who can push would, against
// the platform as deployed (NATS with per-service users, Redis with a password, steps sandboxed).
// Each attack must be contained, seen from the host, and the build must end on its own merits.
import { randomUUID } from 'node:crypto';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { type Platform, source, startPlatform } from '@gitops/fixtures';
import { readStream, repoRoot } from '@gitops/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const TOKEN = `tok-${randomUUID()}`;
const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** `.gitops.yaml` of one step running `script` (YAML block scalar). */
const stepsFile = (script: string) =>
  `steps:\n  - name: attack\n    run: |\n${script
    .trim()
    .split('\n')
    .map((line) => `      ${line}`)
    .join('\n')}\n`;

describe('a commit whose build steps attack the platform', () => {
  let platform: Platform;
  const marker = `attack-${randomUUID()}`;

  beforeAll(async () => {
    platform = await startPlatform({
      credentials: true,
      spec: '  build:\n    secrets:\n      - { name: API_TOKEN, fromEnv: ATTACK_API_TOKEN }\n',
      env: { ATTACK_API_TOKEN: TOKEN, BUILD_WORKSPACE_MAX: '64MiB' },
    });
  });
  afterAll(async () => {
    await platform?.stop();
  });

  const resultOf = async (sha: string) =>
    vi.waitFor(
      async () => {
        const stored = await readStream(platform.natsUrl, 'gitops.v1.hello.>', { timeoutMs: 0 });
        const terminal = stored.find(
          (m) =>
            (m.json.data as { commit: string }).commit === sha &&
            /image\.pushed|image\.failed|build\.failed/.test(m.json.type as string),
        );
        if (!terminal) throw new Error('not finished');
        return terminal;
      },
      { timeout: 90_000, interval: 250 },
    );
  const logOf = async (pipelineId: string) =>
    (await fetch(`${platform.service('builder').url}/api/v1/builds/${pipelineId}/log`)).text();

  it('contains every attack, and the build still succeeds on its own merits', async () => {
    const { nats, redis, dataDir } = platform;
    const script = `
set +e
echo "== env"; env
echo "== proc"; for f in /proc/[0-9]*/environ; do tr '\\0' '\\n' < "$f"; done 2>/dev/null
echo "== shadow"; cat /etc/shadow
echo "== writes"
echo owned > ${dataDir}/${marker}
echo owned > ${repoRoot}/services/builder/dist/${marker}
echo owned > /tmp/${marker}
echo "== bus"
for port in ${nats.port} ${redis.port}; do
  node -e "require('net').connect(+process.argv[1], '127.0.0.1').on('connect', () => { console.log('REA' + 'CHED', process.argv[1]); process.exit(0) }).on('error', (e) => console.log('UNREACH' + 'ABLE', process.argv[1], e.code))" "$port"
done
echo "== orphan"; setsid sh -c 'exec sleep 7.${nats.port}' > /dev/null 2>&1 &
echo "== secret"
echo "$API_TOKEN"
printf %s "$API_TOKEN" | base64
node -e "console.log(encodeURIComponent(process.env.API_TOKEN + ' /'))"
exit 0
`;
    const sha = await platform.push('hello', { ...source, '.gitops.yaml': stepsFile(script) }, 'attack');
    const result = await resultOf(sha);
    expect(result.json.type).toBe('dev.gitops.image.pushed.v1');
    const log = await logOf(result.json.subject as string);

    // Harvest: no secret of the platform, no declared secret in any encoding.
    for (const secret of [...platform.secrets, TOKEN]) expect(log).not.toContain(secret);
    expect(log).not.toContain(Buffer.from(TOKEN).toString('base64'));
    expect(log).not.toContain(encodeURIComponent(`${TOKEN} /`));
    expect(log).toContain('/etc/shadow: No such file');
    // Writes outside the workspace land nowhere the host sees.
    for (const path of [
      join(dataDir, marker),
      join(repoRoot, 'services/builder/dist', marker),
      `/tmp/${marker}`,
    ]) {
      expect(await exists(path), path).toBe(false);
    }
    // NATS and Redis are out of reach (whatever credentials a step might have found). The markers are
    // spelled in two halves in the script, which the log echoes.
    expect(log).not.toContain('REACHED');
    expect(log.match(/UNREACHABLE/g)).toHaveLength(2);
    // The setsid child died with the step's sandbox.
    const processes = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
    expect(processes).not.toContain(`sleep 7.${nats.port}`);
  }, 120_000);

  it('fails a build that fills its workspace past BUILD_WORKSPACE_MAX, naming the limit', async () => {
    const script = 'dd if=/dev/zero of=big bs=1M count=200 2>&1';
    const sha = await platform.push('hello', { '.gitops.yaml': stepsFile(script) }, 'fill the disk', 'disk');
    const result = await resultOf(sha);
    expect(result.json.type).toBe('dev.gitops.build.failed.v1');
    expect((result.json.data as { error: { message: string } }).error.message).toMatch(/BUILD_WORKSPACE_MAX/);
  }, 120_000);
});
