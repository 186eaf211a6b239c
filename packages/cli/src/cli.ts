import yargs, { type Argv } from 'yargs';
import { paintFor } from './colour.js';
import { appCommand, appsCommand } from './commands/apps.js';
import { auditCommand } from './commands/audit.js';
import type { Action, RegisteredCommand } from './commands/command.js';
import { completionCommand } from './commands/completion.js';
import { diffCommand } from './commands/diff.js';
import { doraCommand } from './commands/dora.js';
import { envsCommand } from './commands/envs.js';
import { logsCommand } from './commands/logs.js';
import { pipelineCommand } from './commands/pipeline.js';
import { pipelinesCommand } from './commands/pipelines.js';
import { promoteCommand } from './commands/promote.js';
import { rollbackCommand } from './commands/rollback.js';
import { syncCommand } from './commands/sync.js';
import { tailCommand } from './commands/tail.js';
import { validateCommand } from './commands/validate.js';
import { type Io, println } from './io.js';
import { UsageError, usageProblem } from './usage.js';
import { cliVersion } from './version.js';

const COMMANDS: RegisteredCommand[] = [
  validateCommand,
  tailCommand,
  logsCommand,
  promoteCommand,
  envsCommand,
  appsCommand,
  appCommand,
  diffCommand,
  syncCommand,
  rollbackCommand,
  pipelinesCommand,
  pipelineCommand,
  doraCommand,
  auditCommand,
  completionCommand,
];
const NAMES = COMMANDS.map((command) => command.name);
const NO_COMMAND = `a command is needed: ${NAMES.join(', ')} (gitops --help)`;
const GLOBAL_FLAGS = ['--help', '-h', '--version', '--color', '--no-color'];

const EPILOGUE = `Flags take their defaults from the environment where one is shown ($NATS_URL, $GITOPS_APPS,
$GITOPS_BUILDER_URL, $GITOPS_CONFIG_UPDATER_URL, $GITOPS_RECONCILER_URL, $GITOPS_TOKEN). Colour only on a terminal, and never with NO_COLOR set or --no-color.
Exit codes: 0 done, 1 failed (or the awaited event was a failure), 2 bad command line.
Documentation: docs/cli.md`;

function parser(io: Io, choose: (action: Action) => void): Argv {
  const cli = yargs()
    .scriptName('gitops')
    .usage('$0 <command> [options]')
    .strict()
    .detectLocale(false)
    .exitProcess(false)
    .parserConfiguration({ 'duplicate-arguments-array': false })
    .wrap(Math.min(100, io.stdout.columns ?? 100))
    .option('color', { type: 'boolean', default: true, describe: 'colour on a terminal (--no-color: never)' })
    .demandCommand(1, NO_COMMAND)
    .help('help', 'print this help')
    .alias('help', 'h')
    .version('version', 'print the version', cliVersion())
    .epilogue(EPILOGUE)
    .fail((message, err) => {
      // Errors of yargs itself (a bad definition here) are bugs, not usage problems: let them through.
      if (!message) throw err;
      throw new UsageError(message);
    });
  for (const command of COMMANDS) command.register(cli, io, choose);
  return cli;
}

/** The command named on the line, for the error prefix (`gitops tail: …`). */
const commandOf = (args: string[]) => {
  const name = args.find((arg) => NAMES.includes(arg));
  return COMMANDS.find((command) => command.name === name);
};

/** Parses `args`; returns what yargs would print (help, version, completions). */
function parse(cli: Argv, args: string[]): string {
  let printed = '';
  cli.parse(args, {}, (_err, _argv, output) => {
    if (output) printed = output;
  });
  return printed;
}

function usageMessage(err: UsageError, args: string[], command: RegisteredCommand | undefined): string {
  // yargs asks for a command before it checks flags: `gitops --foo` is better told about --foo.
  const stray = args.find((arg) => arg.startsWith('-') && !GLOBAL_FLAGS.includes(arg.split('=')[0]!));
  if (err.message === NO_COMMAND && stray) return `unknown flag ${stray.split('=')[0]}`;
  return usageProblem(err.message, args, { usage: command?.usage, commands: NAMES });
}

function reportFailure(err: unknown, args: string[], io: Io): number {
  const command = commandOf(args);
  const prefix = paintFor(io.stderr, io.env, !args.includes('--no-color')).red(
    command ? `gitops ${command.name}:` : 'gitops:',
  );
  const usage = err instanceof UsageError;
  const message = usage ? usageMessage(err, args, command) : err instanceof Error ? err.message : String(err);
  println(io.stderr, `${prefix} ${message.replace(/\s*\n\s*/g, ' ')}`);
  return usage ? 2 : 1;
}

/**
 * The `gitops` command line, run in-process: parses `args`, runs the command, and resolves to the
 * exit code (0 done, 1 failed, 2 bad command line). Nothing here exits the process or prints a
 * stack trace: every error is one line on stderr.
 */
export async function runCli(args: string[], io: Io): Promise<number> {
  let action: Action | undefined;
  try {
    const printed = parse(
      parser(io, (chosen) => {
        action = chosen;
      }),
      args,
    );
    if (printed) println(io.stdout, printed);
    return action ? await action() : 0;
  } catch (err) {
    return reportFailure(err, args, io);
  }
}
