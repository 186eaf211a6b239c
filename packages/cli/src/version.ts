import { readFileSync } from 'node:fs';

/** The package's version; package.json is one level up from both src/ and dist/. */
export function cliVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}
