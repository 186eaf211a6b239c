import { type ConfigOf, apiEnv, env, gitAuthEnv, gitSshEnv, serviceEnv, stageEnv } from '@gitops/config';

/** The builder's environment: the common variables plus its own (docs/builder.md). */
export const builderEnv = {
  ...serviceEnv(8092),
  ...stageEnv,
  // The build log routes (routes.ts) are its API.
  ...apiEnv,
  BUILDER_CONCURRENCY: env.int(1, 1, 64).describe('builds one replica runs at once'),
  BUILD_TIMEOUT: env.duration('30m').describe('a whole build, checkout to image'),
  STEP_TIMEOUT: env.duration('10m').describe('a step of `.gitops.yaml` without its own `timeout`'),
  BUILD_LOG_MAX_BYTES: env
    .bytes('10MiB')
    .describe('the build log cap per pipeline; one line then says it was truncated'),
  BUILD_CONTEXT_MAX_BYTES: env.bytes('500MiB').describe('the largest build context, after `.dockerignore`'),
  // The sandbox of build steps (src/sandbox, docs/builder.md "Sandbox" and "Limits").
  BUILD_SANDBOX: env
    .oneOf(['on', 'off'], 'on')
    .describe(
      '`on`: every build step runs in a bubblewrap sandbox, and the builder refuses to start without one; `off` runs steps as the builder itself (development only)',
    ),
  BUILD_WORKSPACE_MAX: env
    .bytes('2GiB')
    .describe(
      "a build's workspace (checkout, HOME, TMPDIR); a step that makes it larger is killed and fails the build",
    ),
  BUILD_MEMORY_MAX: env
    .bytes('4GiB')
    .describe(
      "a step's memory: for the whole step with a delegated cgroup v2, else for each of its processes",
    ),
  BUILD_CPUS: env
    .int(2, 0, 1024)
    .describe("cores' worth of CPU time a step may use, with a delegated cgroup v2 only; `0` for no limit"),
  BUILD_PROCESSES_MAX: env
    .int(4096, 16, 1_000_000)
    .describe(
      "processes and threads of a step (cgroup), or of all steps at once (the sandbox user's rlimit)",
    ),
  // The image drivers read REGISTRY_URL (and REGISTRY_USERNAME/PASSWORD) from the environment themselves.
  REGISTRY_URL: env
    .url('http://127.0.0.1:5000', ['http:', 'https:'])
    .describe(
      'where base images come from, scheme included; its host gets `REGISTRY_USERNAME`/`REGISTRY_PASSWORD`',
    ),
  ...gitAuthEnv,
  ...gitSshEnv,
  // The data directory collector (data-gc/): ages count from an entry's last use.
  GITOPS_DATA_MAX: env
    .bytes('20GiB')
    .describe(
      'size budget of `GITOPS_DATA_DIR`: above it the least recently used entries not in use are removed; `0` for none',
    ),
  GITOPS_DATA_GC_INTERVAL: env
    .duration('10m')
    .describe('time between sweeps of `GITOPS_DATA_DIR` (one also runs at start)'),
  GITOPS_DATA_WORKSPACES_MAX_AGE: env
    .duration('1h')
    .describe('build workspaces a crashed build left are removed this long after their last change'),
  GITOPS_DATA_LAYOUTS_MAX_AGE: env
    .duration('24h')
    .describe('OCI image layouts not built or pushed for this long are removed'),
  GITOPS_DATA_LOGS_MAX_AGE: env
    .duration('14d')
    .describe('build logs are removed this long after their last line'),
  GITOPS_DATA_RESULTS_MAX_AGE: env
    .duration('30d')
    .describe('recorded build results are removed after this; a pipeline replayed later builds again'),
  GITOPS_DATA_MIRRORS_MAX_AGE: env
    .duration('7d')
    .describe('git mirrors of repositories no build used for this long are removed'),
  GITOPS_DATA_CACHE_MAX_AGE: env
    .duration('7d')
    .describe('cached base-image blobs, and buildah storage as a whole, unused for this long are removed'),
};

export type BuilderConfig = ConfigOf<typeof builderEnv>;
