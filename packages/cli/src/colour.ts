import type { Output } from './io.js';

export interface Paint {
  red(text: string): string;
  green(text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

const ansi = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
const plain = (text: string) => text;

const COLOURS: Paint = { red: ansi(31, 39), green: ansi(32, 39), bold: ansi(1, 22), dim: ansi(2, 22) };
const NO_COLOURS: Paint = { red: plain, green: plain, bold: plain, dim: plain };

/**
 * Colour only for a person at a terminal: never into a pipe or file, never with NO_COLOR set to
 * anything but the empty string (no-color.org), never with `--no-color`.
 */
export function paintFor(out: Output, env: NodeJS.ProcessEnv, colourFlag: boolean | undefined): Paint {
  const wanted = colourFlag !== false && out.isTTY === true && !env.NO_COLOR;
  return wanted ? COLOURS : NO_COLOURS;
}
