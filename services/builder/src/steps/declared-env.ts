import { readFile, realpath } from 'node:fs/promises';
import type { Application, BuildSecret } from '@gitops/config';
import { BuildFailure } from '../errors.js';

/** What the application file gives its steps: plain values, and secrets with their values read. */
export interface DeclaredEnv {
  env: Record<string, string>;
  secrets: Record<string, string>;
}

/** Variables of the platform itself, which no application may hand to its steps whatever it declares. */
const PLATFORM_VARIABLE = /^(GIT_|REGISTRY_|NATS_|REDIS_|GITOPS_|BUILD_|JOB_)|WEBHOOK/;
/** A secret this short would blank out ordinary words of the log, and is not redacted (steps/redact.ts). */
const MIN_SECRET_LENGTH = 4;

const invalid = (secret: BuildSecret, problem: string) =>
  new BuildFailure(`spec.build.secrets: ${secret.name} ${problem}`, 'invalid-config');

/** The files the platform's own `*_FILE` variables name (GIT_PASSWORD_FILE, …): not an application's to read. */
async function platformFiles(builderEnv: NodeJS.ProcessEnv): Promise<Set<string>> {
  const named = Object.entries(builderEnv).filter(([name, value]) => name.endsWith('_FILE') && value);
  const resolved = await Promise.all(named.map(([, file]) => realpath(file!).catch(() => file!)));
  return new Set(resolved);
}

async function secretValue(
  secret: BuildSecret,
  builderEnv: NodeJS.ProcessEnv,
  platform: ReadonlySet<string>,
  files: ReadonlySet<string>,
): Promise<string> {
  if ('fromEnv' in secret) {
    if (platform.has(secret.fromEnv) || PLATFORM_VARIABLE.test(secret.fromEnv))
      throw invalid(secret, `cannot come from ${secret.fromEnv}, a variable of the platform itself`);
    const value = builderEnv[secret.fromEnv];
    if (value === undefined) throw invalid(secret, `needs ${secret.fromEnv} in the builder's environment`);
    return value;
  }
  const file = await realpath(secret.fromFile).catch(() => secret.fromFile);
  if (files.has(file))
    throw invalid(secret, `cannot come from ${secret.fromFile}, a file of the platform itself`);
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw invalid(secret, `cannot be read from ${secret.fromFile}: ${err.code ?? err.message}`);
  });
  // A file written with `echo` ends with a newline nobody means as part of the secret.
  return text.replace(/\r?\n$/, '');
}

/**
 * Reads the values of `spec.build.secrets` for one build (a rotated file applies at once), from the
 * builder's environment or files, refusing the platform's own variables (`platform`: the builder's
 * configuration and the applications' webhook secrets) and credential files. A secret that is missing
 * or too short to be redacted fails the build as `invalid-config`.
 */
export async function declaredEnvironment(
  build: Pick<Application['build'], 'env' | 'secrets'>,
  builderEnv: NodeJS.ProcessEnv,
  platform: ReadonlySet<string> = new Set(),
): Promise<DeclaredEnv> {
  const files = await platformFiles(builderEnv);
  const secrets: Record<string, string> = {};
  for (const secret of build.secrets) {
    const value = await secretValue(secret, builderEnv, platform, files);
    if (value.length < MIN_SECRET_LENGTH)
      throw invalid(
        secret,
        `is shorter than ${MIN_SECRET_LENGTH} characters, too short to be redacted from logs`,
      );
    secrets[secret.name] = value;
  }
  return { env: { ...build.env }, secrets };
}
