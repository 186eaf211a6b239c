import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sourceReceived, startGitServer, testApplication } from '@gitops/testing';
import { runBuild } from '../../services/builder/src/build.js';
import { DataDir } from '../../services/builder/src/data-dir.js';
import { createImageDriver } from '../../services/builder/src/image/index.js';
import { Sandbox } from '../../services/builder/src/sandbox/sandbox.js';
import { BuildLog } from '../../services/builder/src/steps/build-log.js';
import { Redactor } from '../../services/builder/src/steps/redact.js';
import { type StepIsolation, unsandboxed } from '../../services/builder/src/steps/step-runner.js';
import { createSourceRepo } from '../../services/builder/src/test/source-repo.js';
import { writeSampleApp } from './sample-app.js';

const GIB = 1024 ** 3;
/** Steps of a small Node project: start node, and read every file of the checkout once. */
const GITOPS_FILE = `steps:
  - { name: version, run: node --version }
  - name: read
    run: node -e "const fs=require('fs');let n=0;const walk=(d)=>{for(const e of fs.readdirSync(d,{withFileTypes:true})){const p=d+'/'+e.name;if(e.isDirectory())walk(p);else n+=fs.readFileSync(p).length}};walk('src');walk('node_modules');console.log(n,'bytes')"
  - { name: test, run: "ls -R . | wc -l" }
`;

export interface SandboxRows {
  sandboxed: number;
  unsandboxed: number;
}

/**
 * Whole builds (checkout from a mirror that has the commit, three steps, a warm native image) of the
 * sample app, alternately in the sandbox and with BUILD_SANDBOX=off, `runs` times each: the medians.
 */
export async function measureSandbox(
  registryUrl: string,
  baseRef: string,
  runs: number,
): Promise<SandboxRows> {
  const server = await startGitServer();
  // Its own directory, not under the bench's (mode 0700): steps run as uid 1000 must reach it.
  const dataDir = new DataDir(await mkdtemp(join(tmpdir(), 'bench-steps-data-')));
  try {
    const repo = await createSourceRepo(server, 'acme/bench');
    await writeSampleApp(repo.work);
    const dockerfile = `FROM ${baseRef}\nWORKDIR /app\nCOPY package.json ./\nCOPY src src/\nCMD ["node", "src/module-0.js"]\n`;
    const sha = await repo.push({ Dockerfile: dockerfile, '.gitops.yaml': GITOPS_FILE });
    const env = { ...process.env, REGISTRY_URL: registryUrl };
    const application = testApplication('bench', { repoURL: repo.url });
    const sandbox = await Sandbox.start({
      workspaceBytes: 2 * GIB,
      memoryBytes: 4 * GIB,
      cpus: 2,
      processes: 4096,
    });
    const build = async (isolation: StepIsolation) => {
      const source = sourceReceived('bench', { repoURL: repo.url, commit: sha }).data;
      const log = await BuildLog.open(dataDir.log('bench', source.pipelineId).path, {
        maxBytes: 1 << 20,
        redactor: new Redactor([]),
      });
      const started = process.hrtime.bigint();
      const outcome = await runBuild(
        { source, application, log, signal: new AbortController().signal },
        {
          dataDir,
          credentials: {},
          createDriver: (preference, text) =>
            createImageDriver(preference, text, { dataDir: dataDir.root, env }),
          env,
          isolation,
          workspaceMaxBytes: 2 * GIB,
          stepTimeoutMs: 60_000,
        },
      );
      await log.close();
      if (outcome.failure) throw outcome.failure;
      return Number(process.hrtime.bigint() - started) / 1e9;
    };
    await build(sandbox); // warms the mirror and the base-image cache
    const times = { sandboxed: [] as number[], unsandboxed: [] as number[] };
    for (let i = 0; i < runs; i++) {
      times.sandboxed.push(await build(sandbox));
      times.unsandboxed.push(await build(unsandboxed(env)));
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    return { sandboxed: median(times.sandboxed), unsandboxed: median(times.unsandboxed) };
  } finally {
    await server.dispose();
    await rm(dataDir.root, { recursive: true, force: true });
  }
}
