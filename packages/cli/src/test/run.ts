import { runCli } from '../cli.js';
import type { Output } from '../io.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** An Output that keeps what is written; `isTTY` pretends to be a terminal. */
export function captured(isTTY = false, onWrite?: (text: string) => void): Output & { text(): string } {
  const chunks: Buffer[] = [];
  return {
    isTTY,
    write: (chunk) => {
      chunks.push(Buffer.from(chunk));
      onWrite?.(Buffer.from(chunk).toString('utf8'));
    },
    text: () => Buffer.concat(chunks).toString('utf8'),
  };
}

/** Runs `gitops <args>` in-process with its own environment (none of the test process's). */
export async function gitops(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; tty?: boolean; onStdout?: (text: string) => void } = {},
): Promise<CliRun> {
  const stdout = captured(options.tty, options.onStdout);
  const stderr = captured(options.tty);
  const code = await runCli(args, { stdout, stderr, env: options.env ?? {} });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
