import { type Application, gitCredentials } from '@gitops/config';
import { apiGuard, defineService, guardedRoutes, readApiTokens } from '@gitops/service';
import type { Logger } from '@gitops/telemetry';
import { runBuild } from './build.js';
import { type BuilderConfig, builderEnv } from './config.js';
import { DataDir, isSafeName } from './data-dir.js';
import { DataCollector, collectorSettings } from './data-gc/collector.js';
import { dataDirMetrics } from './data-gc/metrics.js';
import { SERVICE, exhaustedEvent } from './events.js';
import { createBuildHandler } from './handlers.js';
import { createImageDriver } from './image/index.js';
import { buildMetrics } from './metrics.js';
import { ResultStore } from './results.js';
import { registerBuildLogRoutes } from './routes.js';
import { platformVariables, stepIsolation } from './sandbox/isolation.js';
import { Redactor, secretsOf } from './steps/redact.js';
import type { StepIsolation } from './steps/step-runner.js';
import { RedisSupersede, type SupersedeCoordinator, claimOf } from './supersede.js';

interface BuildWiring {
  config: BuilderConfig;
  apps: Application[];
  env: NodeJS.ProcessEnv;
  dataDir: DataDir;
  results: ResultStore;
  redactor: Redactor;
  supersede: SupersedeCoordinator;
  isolation: StepIsolation;
  logger: Logger;
}

/** How one build runs: its source, its steps, its image driver, its limits, all from configuration. */
function buildRunner({ config, apps, env, dataDir, isolation, logger }: BuildWiring) {
  const driverOptions = {
    dataDir: dataDir.root,
    env,
    contextMaxBytes: config.BUILD_CONTEXT_MAX_BYTES,
    logger,
  };
  const deps = {
    dataDir,
    credentials: gitCredentials(config),
    createDriver: (preference: Application['build']['driver'], dockerfile: string) =>
      createImageDriver(preference, dockerfile, driverOptions),
    env,
    isolation,
    workspaceMaxBytes: config.BUILD_WORKSPACE_MAX,
    platformVariables: platformVariables(apps),
    stepTimeoutMs: config.STEP_TIMEOUT,
  };
  return (request: Parameters<typeof runBuild>[0]) => runBuild(request, deps);
}

function buildHandler(wiring: BuildWiring, onResult: ReturnType<typeof buildMetrics>) {
  const { config, apps, dataDir, results, redactor, supersede } = wiring;
  return createBuildHandler({
    apps: new Map(apps.map((app) => [app.name, app])),
    dataDir,
    results,
    supersede,
    build: buildRunner(wiring),
    buildTimeoutMs: config.BUILD_TIMEOUT,
    logMaxBytes: config.BUILD_LOG_MAX_BYTES,
    redactor,
    onResult,
  });
}

const tokensGuard = (file: string | undefined) => apiGuard(file ? readApiTokens(file) : undefined);

/** Stage 2: `source.received` in, `build.started` and `build.succeeded`/`build.failed` out. */
export const builder = defineService({
  service: SERVICE,
  env: builderEnv,
  create: async ({ config, apps, env, redis, logger, metrics }) => {
    const isolation = await stepIsolation(config, env, logger);
    const dataDir = new DataDir(config.GITOPS_DATA_DIR);
    const results = new ResultStore(dataDir);
    const redactor = new Redactor(secretsOf(env));
    const supersede = new RedisSupersede(redis(), {
      onError: (err) => logger.warn({ err }, 'cannot check for a newer push'),
    });
    const wiring = { config, apps, env, dataDir, results, redactor, supersede, isolation, logger };
    const handler = buildHandler(wiring, buildMetrics(metrics.registry));
    const appNames = apps.map((app) => app.name);
    return {
      stage: {
        consumes: ['source.received'],
        handlers: { 'source.received': handler },
        onExhausted: ({ name, event }, err) => {
          if (name !== 'source.received') return [];
          const { app, pipelineId } = event.data;
          const logRef = isSafeName(pipelineId) ? dataDir.log(app, pipelineId).relative : undefined;
          return [exhaustedEvent(event.data, err, logRef, redactor)];
        },
        // Noted as soon as consumed, so the builds of older pushes still queued never start.
        beforeEnqueue: async ({ name, event }) => {
          if (name === 'source.received') await supersede.note(claimOf(event));
        },
        concurrency: config.BUILDER_CONCURRENCY,
      },
      // Bearer tokens of GITOPS_API_TOKENS_FILE, or loopback clients only without one (docs/security.md).
      routes: guardedRoutes(tokensGuard(config.GITOPS_API_TOKENS_FILE), (app) =>
        registerBuildLogRoutes(app, {
          findLog: (pipelineId) => dataDir.findLog(pipelineId, appNames),
          buildEnded: (pipelineId) => results.isRecorded(pipelineId, appNames),
          followTimeoutMs: config.BUILD_TIMEOUT,
        }),
      ),
      tasks: [
        new DataCollector({
          root: dataDir.root,
          ...collectorSettings(config),
          logger,
          metrics: dataDirMetrics(metrics.registry),
        }),
      ],
      summary: { dataDir: dataDir.root },
    };
  },
});
