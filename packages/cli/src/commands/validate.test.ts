import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testApplication, writeApplications } from '@gitops/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { gitops } from '../test/run.js';

describe('gitops validate', () => {
  let file: string;
  let broken: string;
  const apps = [testApplication('hello'), testApplication('world', { branches: ['main', 'release'] })];

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cli-validate-'));
    file = await writeApplications(dir, apps);
    broken = join(dir, 'broken.yaml');
    await writeFile(broken, 'apiVersion: gitops.platform/v1\nkind: Application\nmetadata: {}\n');
  });

  it('lists the applications of a valid file, one line each, and exits 0', async () => {
    const run = await gitops(['validate', file]);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')).toEqual([
      'hello: http://git.test/acme/hello.git [main] -> 127.0.0.1:5000/acme/hello, http://git.test/acme/hello.git . -> namespace hello',
      'world: http://git.test/acme/world.git [main, release] -> 127.0.0.1:5000/acme/world, http://git.test/acme/world.git . -> namespace world',
      `${file}: 2 application(s), valid`,
      '',
    ]);
  });

  it('prints the applications as JSON with -o json', async () => {
    const run = await gitops(['validate', file, '-o', 'json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(apps);
  });

  it('reads the file named by --apps, else by GITOPS_APPS', async () => {
    expect((await gitops(['validate', '--apps', file])).stdout).toContain('2 application(s), valid');
    expect((await gitops(['validate'], { env: { GITOPS_APPS: file } })).stdout).toContain('2 application(s)');
  });

  it('refuses a file given both as an argument and as --apps', async () => {
    const run = await gitops(['validate', file, '--apps', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('gitops validate: give the file either as an argument or as --apps, not both\n');
  });

  it('reports the problems of an invalid file in one line and exits 1', async () => {
    const run = await gitops(['validate', broken]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(new RegExp(`^gitops validate: ${broken}: .+\\n$`));
  });

  it('colours names and the verdict on a terminal only, and never with NO_COLOR or --no-color', async () => {
    const coloured = await gitops(['validate', file], { tty: true });
    expect(coloured.stdout).toContain('\u001b[1mhello\u001b[22m:');
    expect(coloured.stdout).toContain('\u001b[32mvalid\u001b[39m');
    for (const run of [
      await gitops(['validate', file]),
      await gitops(['validate', file], { tty: true, env: { NO_COLOR: '1' } }),
      await gitops(['validate', file, '--no-color'], { tty: true }),
    ]) {
      expect(run.stdout).not.toContain('\u001b');
    }
  });
});
