import type { ArgumentsCamelCase, Argv } from 'yargs';
import type { Io } from '../io.js';

/** Runs the chosen command once parsing succeeded; resolves to the exit code. */
export type Action = () => Promise<number>;

/** The flags every command takes. */
export interface GlobalArgs {
  /** false with `--no-color`. */
  color?: boolean;
}

/** One `gitops` command: its usage, its flags, and what it does with them. */
export interface CliCommand<A> {
  /** yargs usage: `logs <pipelineId>`. */
  command: string;
  describe: string;
  flags(yargs: Argv, io: Io): Argv<A>;
  run(args: ArgumentsCamelCase<A> & GlobalArgs, io: Io): Promise<number>;
}

export interface RegisteredCommand {
  name: string;
  usage: string;
  register(parser: Argv, io: Io, choose: (action: Action) => void): Argv;
}

/**
 * Registers a command whose yargs handler only records what to run: parsing stays synchronous
 * and free of side effects, and the CLI awaits the action and maps its errors to exit codes.
 */
export function defineCommand<A>(command: CliCommand<A>): RegisteredCommand {
  return {
    name: command.command.split(' ')[0]!,
    usage: command.command,
    register: (parser, io, choose) =>
      parser.command(
        command.command,
        command.describe,
        (yargs) => command.flags(yargs, io),
        (args) => choose(() => command.run(args, io)),
      ),
  };
}
