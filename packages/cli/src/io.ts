/** Where a command writes: process.stdout in the binary, a buffer in tests. */
export interface Output {
  write(chunk: string | Uint8Array): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** A command's outside world, passed in so that tests can run the CLI in-process. */
export interface Io {
  stdout: Output;
  stderr: Output;
  env: NodeJS.ProcessEnv;
}

export const processIo = (): Io => ({ stdout: process.stdout, stderr: process.stderr, env: process.env });

export const println = (out: Output, line: string): void => void out.write(`${line}\n`);
