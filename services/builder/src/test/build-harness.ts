import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Application } from '@gitops/config';
import type { LeaseHolder } from '@gitops/fs';
import { type GitServer, sourceReceived, testApplication } from '@gitops/testing';
import { type BuildOutcome, runBuild } from '../build.js';
import { DataDir } from '../data-dir.js';
import type { DriverFactory } from '../image-build.js';
import { createImageDriver } from '../image/index.js';
import { Sandbox } from '../sandbox/sandbox.js';
import { BuildLog } from '../steps/build-log.js';
import { Redactor, secretsOf } from '../steps/redact.js';
import { unsandboxed } from '../steps/step-runner.js';
import { createSourceRepo } from './source-repo.js';

export interface BuildRun {
  outcome: BuildOutcome;
  log: string;
  sha: string;
  pipelineId: string;
  dataDir: DataDir;
  /** Builds the same commit again, as another pipeline. */
  again(): Promise<BuildRun>;
}

export interface BuildOptions {
  /** The builder's environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Build another sha than the one pushed. */
  sha?: string;
  build?: Partial<Application['build']>;
  stepTimeoutMs?: number;
  /** Symlinks to commit too, path to target. */
  links?: Record<string, string>;
  /** Marks what the build uses (default: leases under the data directory). */
  leases?: LeaseHolder;
  /** `off` runs the steps without the sandbox, as BUILD_SANDBOX=off does. */
  sandbox?: 'on' | 'off';
  /** BUILD_WORKSPACE_MAX (default 2 GiB). */
  workspaceMaxBytes?: number;
  /** GITOPS_DATA_DIR (default: a new temporary directory). */
  dataRoot?: string;
}

const GIB = 1024 ** 3;
export const testSandbox = (workspaceBytes = 2 * GIB) =>
  Sandbox.start({ workspaceBytes, memoryBytes: 4 * GIB, cpus: 2, processes: 4096 });
/** One sandbox for the tests of a file, as one builder process has: started (and checked) once. */
const sharedSandbox = (() => {
  let started: Promise<Sandbox> | undefined;
  return () => {
    started ??= testSandbox();
    return started;
  };
})();

/** Pushes `files` to a fresh repository on `server` and runs one build of it with the real image drivers. */
export async function buildPushed(
  server: GitServer,
  files: Record<string, string>,
  options: BuildOptions = {},
): Promise<BuildRun> {
  const dataDir = new DataDir(options.dataRoot ?? (await mkdtemp(join(tmpdir(), 'builder-data-'))));
  const repo = await createSourceRepo(server, `acme/${randomUUID().slice(0, 8)}`);
  const pushed = await repo.push(files, { links: options.links ?? {} });
  const application = testApplication('demo', {
    repoURL: repo.url,
    ...(options.build ? { build: options.build } : {}),
  });
  const env = options.env ?? process.env;
  const deps = {
    dataDir,
    credentials: {},
    createDriver: ((preference, dockerfile) =>
      createImageDriver(preference, dockerfile, { dataDir: dataDir.root, env })) satisfies DriverFactory,
    env,
    isolation:
      options.sandbox === 'off'
        ? unsandboxed(env)
        : options.workspaceMaxBytes
          ? await testSandbox(options.workspaceMaxBytes)
          : await sharedSandbox(),
    workspaceMaxBytes: options.workspaceMaxBytes ?? 2 * GIB,
    stepTimeoutMs: options.stepTimeoutMs ?? 60_000,
    killGraceMs: 200,
    ...(options.leases ? { leases: options.leases } : {}),
  };
  const run = async (): Promise<BuildRun> => {
    const source = sourceReceived('demo', { repoURL: repo.url, commit: options.sha ?? pushed }).data;
    const logPath = dataDir.log('demo', source.pipelineId).path;
    const log = await BuildLog.open(logPath, {
      maxBytes: 1024 * 1024,
      redactor: new Redactor(secretsOf(env)),
    });
    const signal = options.signal ?? new AbortController().signal;
    const outcome = await runBuild({ source, application, log, signal }, deps);
    await log.close();
    const text = await readFile(logPath, 'utf8');
    return { outcome, log: text, sha: source.commit, pipelineId: source.pipelineId, dataDir, again: run };
  };
  return run();
}
