import { AppError } from '@gitops/errors';
import { lastLines, redact } from './redact.js';

/**
 * What a failed git command means for the caller: the remote lacks the object or ref asked for, it
 * refused the credentials, the command ran out of time or was aborted, or it failed otherwise.
 */
export type GitFailure = 'not-found' | 'denied' | 'timeout' | 'aborted' | 'failed';

const NOT_FOUND = /not our ref|unadvertised object|couldn't find remote ref|no such remote ref|bad object/i;
const DENIED =
  /Authentication failed|could not read (Username|Password)|Permission denied|Host key verification failed|\b40[13]\b/i;

/** The failure git's stderr describes. */
export function failureFromStderr(stderr: string): GitFailure {
  if (NOT_FOUND.test(stderr)) return 'not-found';
  if (DENIED.test(stderr)) return 'denied';
  return 'failed';
}

// Global options before the subcommand, and those of them that take the next argument as value.
const OPTIONS_WITH_VALUE = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--exec-path']);

/** The subcommand in `args` (`fetch` in `--git-dir x fetch …`), which is what a message names. */
export function subcommandOf(args: readonly string[]): string {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (OPTIONS_WITH_VALUE.has(arg)) i++;
    else if (!arg.startsWith('-')) return arg;
  }
  return args.join(' ');
}

export interface GitErrorDetails {
  args: readonly string[];
  failure: GitFailure;
  /** All of git's stderr; the error keeps its last lines. */
  stderr?: string;
  exitCode?: number;
  /** What happened instead of an exit: the timeout, the abort's reason. */
  detail?: string;
  /** Values to redact from the message, the arguments and stderr (the credentials of the run). */
  secrets?: readonly string[];
  cause?: unknown;
}

function messageOf(command: string, details: GitErrorDetails, stderr: string): string {
  if (details.failure === 'timeout' || details.failure === 'aborted') {
    return `git ${command} ${details.detail ?? details.failure}`;
  }
  return `git ${command} failed: ${stderr || details.detail || `exit code ${details.exitCode}`}`;
}

/**
 * git failed (GITOPS_GIT_FAILED). The message names the subcommand and git's last lines of stderr;
 * credentials never appear in it: they are in no argument, and the run's secrets are redacted from
 * stderr anyway. Retryable unless the remote lacks what was asked for, refused the credentials, or
 * the caller aborted the run.
 */
export class GitError extends AppError {
  override name = 'GitError';
  readonly command: string;
  readonly args: string[];
  readonly stderr: string;
  readonly failure: GitFailure;
  readonly exitCode: number | undefined;

  constructor(details: GitErrorDetails) {
    const secrets = details.secrets ?? [];
    const command = subcommandOf(details.args);
    const stderr = redact(lastLines(details.stderr ?? ''), secrets);
    super('GITOPS_GIT_FAILED', messageOf(command, details, stderr), {
      retryable: details.failure === 'failed' || details.failure === 'timeout',
      cause: details.cause,
    });
    this.command = command;
    this.args = details.args.map((arg) => redact(arg, secrets));
    this.stderr = stderr;
    this.failure = details.failure;
    this.exitCode = details.exitCode;
  }
}

export const isGitError = (err: unknown): err is GitError => err instanceof GitError;
