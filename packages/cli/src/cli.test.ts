import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gitops } from './test/run.js';

const VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** Every usage problem: exactly one line on stderr, nothing on stdout, exit 2. */
async function expectUsageError(args: string[], line: string, env: NodeJS.ProcessEnv = {}) {
  const run = await gitops(args, { env });
  expect(run, args.join(' ')).toEqual({ code: 2, stdout: '', stderr: `${line}\n` });
}

describe('the gitops command line', () => {
  it('prints the help listing every command and exits 0 for --help', async () => {
    for (const args of [['--help'], ['-h']]) {
      const run = await gitops(args);
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('');
      for (const command of [
        'validate [file]',
        'tail [subject]',
        'logs <pipelineId>',
        'completion <shell>',
      ]) {
        expect(run.stdout).toContain(`gitops ${command}`);
      }
    }
  });

  it("prints a command's own help for <command> --help, without running the command", async () => {
    const validate = await gitops(['validate', '/no/such/file.yaml', '--help']);
    expect(validate).toMatchObject({ code: 0, stderr: '' });
    expect(validate.stdout).toMatch(/^gitops validate \[file\]\n/);
    expect(validate.stdout).toContain('$GITOPS_APPS, else ./gitops.yaml');
    // A tail that ran would try to reach NATS here and fail.
    const tail = await gitops(['tail', '--nats-url', 'nats://127.0.0.1:1', '--help']);
    expect(tail).toMatchObject({ code: 0, stderr: '' });
    expect(tail.stdout).toContain('--nats-url');
    expect(tail.stdout).toContain('$NATS_URL, else nats://127.0.0.1:4222');
    const logs = await gitops(['logs', '--help']);
    expect(logs).toMatchObject({ code: 0, stderr: '' });
    expect(logs.stdout).toContain('$GITOPS_BUILDER_URL, else http://127.0.0.1:8092');
  });

  it('prints the package version for --version', async () => {
    expect(await gitops(['--version'])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  it('names an unknown flag or command in one line and exits 2', async () => {
    await expectUsageError(['tail', '--foo'], 'gitops tail: unknown flag --foo');
    await expectUsageError(['tail', '-x'], 'gitops tail: unknown flag -x');
    await expectUsageError(['--foo'], 'gitops: unknown flag --foo');
    await expectUsageError(['validate', 'a.yaml', 'b.yaml'], 'gitops validate: unexpected argument b.yaml');
    await expectUsageError(
      ['deploy'],
      'gitops: unknown command deploy (commands: validate, tail, logs, promote, envs, apps, app, diff, sync, rollback, pipelines, pipeline, dora, audit, completion)',
    );
    await expectUsageError(
      [],
      'gitops: a command is needed: validate, tail, logs, promote, envs, apps, app, diff, sync, rollback, pipelines, pipeline, dora, audit, completion (gitops --help)',
    );
  });

  it('names the flag whose value is bad or missing and exits 2', async () => {
    await expectUsageError(
      ['tail', '--until', 'image.pushed,deployed'],
      'gitops tail: --until must be event names such as image.pushed,build.failed (unknown: deployed)',
    );
    await expectUsageError(['tail', '--until'], 'gitops tail: --until needs a value');
    await expectUsageError(
      ['tail', '--count', 'two'],
      'gitops tail: --count must be an integer from 1 to 1000000000 (got "two")',
    );
    await expectUsageError(
      ['tail', '--timeout', 'soon'],
      'gitops tail: --timeout must be a duration such as 500ms, 30s, 5m, 72h or 7d (got "soon")',
    );
    await expectUsageError(
      ['tail', 'hello.>', '--app', 'hello'],
      'gitops tail: give either a subject or --app, not both',
    );
    await expectUsageError(
      ['validate', '-o', 'yaml'],
      'gitops validate: --output must be one of "text", "json" (got "yaml")',
    );
    await expectUsageError(['logs'], 'gitops logs: missing an argument: gitops logs <pipelineId>');
    await expectUsageError(
      ['logs', 'p1', '--builder-url', 'builder:8092'],
      'gitops logs: --builder-url must be an http:// or https:// URL (got "builder:8092")',
    );
    await expectUsageError(
      ['completion', 'fish'],
      'gitops completion: <shell> must be one of "bash", "zsh" (got "fish")',
    );
  });

  it('names the flag, and the environment variable it defaulted from, for a bad default', async () => {
    await expectUsageError(
      ['tail'],
      'gitops tail: --nats-url must be nats://… or tls://… URLs, comma separated (got "localhost:4222" from NATS_URL)',
      { NATS_URL: 'localhost:4222' },
    );
    await expectUsageError(
      ['logs', 'p1'],
      'gitops logs: --builder-url must be an http:// or https:// URL (got "builder" from GITOPS_BUILDER_URL)',
      { GITOPS_BUILDER_URL: 'builder' },
    );
  });

  it('reports a runtime failure in one line, without a stack trace, and exits 1', async () => {
    const run = await gitops(['validate', '/no/such/gitops.yaml']);
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: 'gitops validate: /no/such/gitops.yaml: cannot read: ENOENT\n',
    });
  });

  it('prints a completion script for bash and for zsh', async () => {
    const bash = await gitops(['completion', 'bash']);
    expect(bash.code).toBe(0);
    expect(bash.stdout).toContain('complete -o bashdefault -o default -F _gitops_completions gitops');
    const zsh = await gitops(['completion', 'zsh']);
    expect(zsh.stdout).toMatch(/^#compdef gitops\n/);
    expect(zsh.stdout).toContain('compdef _gitops_completions gitops');
    for (const script of [bash.stdout, zsh.stdout])
      expect(script).toContain('gitops --get-yargs-completions');
  });

  it('answers the completion scripts with the commands and flags that fit', async () => {
    const commands = await gitops(['--get-yargs-completions', 'gitops', 'l']);
    expect(commands.stdout.split('\n')).toContain('logs');
    const flags = await gitops(['--get-yargs-completions', 'gitops', 'tail', '--']);
    expect(flags.stdout.split('\n')).toEqual(expect.arrayContaining(['--until', '--pipeline', '--nats-url']));
  });

  it('colours its error prefix only on a terminal without NO_COLOR', async () => {
    const tty = await gitops(['tail', '--foo'], { tty: true });
    expect(tty.stderr).toBe('\u001b[31mgitops tail:\u001b[39m unknown flag --foo\n');
    expect((await gitops(['tail', '--foo'], { tty: true, env: { NO_COLOR: '1' } })).stderr).not.toContain(
      '\u001b',
    );
    expect((await gitops(['tail', '--foo', '--no-color'], { tty: true })).stderr).not.toContain('\u001b');
    expect((await gitops(['tail', '--foo'])).stderr).not.toContain('\u001b');
  });
});
