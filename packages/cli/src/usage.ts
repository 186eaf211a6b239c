/**
 * A command line that cannot run as given: an unknown command or flag, a missing or bad value.
 * The CLI prints its message on one line and exits 2; any other error exits 1.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}

const UNKNOWN = /^Unknown arguments?: (.+)$/;
const NO_VALUE = /^Not enough arguments following: (.+)$/;
const BAD_CHOICE = /^Invalid values:\s+Argument: (\S+), Given: (.+), Choices: (.+)$/s;
const TOO_FEW = /^Not enough non-option arguments/;

const given = (args: string[], flag: string) =>
  args.some((arg) => arg === flag || arg.startsWith(`${flag}=`));

/** Where the problem is: the command's usage line (`logs <pipelineId>`) and the command names. */
export interface UsageContext {
  usage?: string;
  commands: string[];
}

/** How `name`, reported unknown by yargs, was written on the command line. */
function unknownArgument(name: string, args: string[], context: UsageContext): string {
  for (const flag of [`--${name}`, `--no-${name}`]) {
    if (given(args, flag)) return `unknown flag ${flag}`;
  }
  if (name.length === 1 && args.some((arg) => /^-[^-]/.test(arg) && arg.includes(name))) {
    return `unknown flag -${name}`;
  }
  if (!context.usage && args.find((arg) => !arg.startsWith('-')) === name) {
    return `unknown command ${name} (commands: ${context.commands.join(', ')})`;
  }
  return `unexpected argument ${name}`;
}

/** A flag as typed (`--output`), or a positional argument as the usage names it (`<shell>`). */
const argumentName = (name: string, args: string[], context: UsageContext) =>
  context.usage?.includes(`<${name}>`) && !given(args, `--${name}`) ? `<${name}>` : `--${name}`;

/** yargs's own failure message, rephrased to name the flag or argument as the user wrote it. */
export function usageProblem(message: string, args: string[], context: UsageContext): string {
  const unknown = UNKNOWN.exec(message);
  if (unknown) return unknownArgument(unknown[1]!.split(', ')[0]!, args, context);
  const noValue = NO_VALUE.exec(message);
  if (noValue) return `--${noValue[1]} needs a value`;
  const badChoice = BAD_CHOICE.exec(message);
  if (badChoice) {
    const [, name, value, choices] = badChoice;
    return `${argumentName(name!, args, context)} must be one of ${choices!.trim()} (got ${value})`;
  }
  if (TOO_FEW.test(message) && context.usage) return `missing an argument: gitops ${context.usage}`;
  return message;
}
