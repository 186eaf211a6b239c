import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Application, type Environment, normaliseRepoUrl } from '@gitops/config';

export interface TestApplicationOptions {
  repoURL?: string;
  branches?: string[];
  build?: Partial<Application['build']>;
  /** Default `127.0.0.1:5000/acme/<name>`. */
  imageRepository?: string;
  secretEnv?: string;
  configRepoURL?: string;
  /** Default: one environment `default` at `.` on `main`. The first one's `promotion` is `none`. */
  environments?: (Pick<Environment, 'name' | 'path'> & Partial<Environment>)[];
  syncPolicy?: Partial<Application['syncPolicy']>;
}

/** An application as the application file's loader makes it, every default applied. */
export function testApplication(name: string, options: TestApplicationOptions = {}): Application {
  const repoURL = options.repoURL ?? `http://git.test/acme/${name}.git`;
  const configRepoURL = options.configRepoURL ?? repoURL;
  const destination = { namespace: name, clusterResources: false };
  const environments: Environment[] = (options.environments ?? [{ name: 'default', path: '.' }]).map(
    (environment, index) => ({
      branch: 'main',
      destination,
      ...environment,
      promotion: index === 0 ? 'none' : (environment.promotion ?? 'approval'),
    }),
  );
  return {
    name,
    source: { repoURL, repoKey: normaliseRepoUrl(repoURL), branches: options.branches ?? ['main'] },
    webhook: options.secretEnv ? { secretEnv: options.secretEnv } : {},
    build: {
      context: '.',
      dockerfile: 'Dockerfile',
      driver: 'auto',
      env: {},
      secrets: [],
      network: 'none',
      ...options.build,
    },
    image: { repository: options.imageRepository ?? `127.0.0.1:5000/acme/${name}` },
    config: {
      repoURL: configRepoURL,
      repoKey: normaliseRepoUrl(configRepoURL),
      branch: environments[0]!.branch,
      path: environments[0]!.path,
      environments,
      helm: { valuesFile: 'values.yaml', imageKey: 'image' },
    },
    destination,
    syncPolicy: {
      prune: false,
      selfHeal: false,
      autoRollback: false,
      forceConflicts: false,
      ...options.syncPolicy,
    },
    ignoreDifferences: [],
  };
}

/** The application file's document for `app` (JSON is YAML): what a person would write. */
export function applicationDocument(app: Application) {
  const { repoKey: _derived, ...source } = app.source;
  return {
    apiVersion: 'gitops.platform/v1',
    kind: 'Application',
    metadata: { name: app.name },
    spec: {
      source,
      ...(app.webhook.secretEnv ? { webhook: app.webhook } : {}),
      build: app.build,
      image: app.image,
      config: {
        repoURL: app.config.repoURL,
        helm: app.config.helm,
        environments: app.config.environments.map(({ promotion, ...environment }) =>
          promotion === 'none' ? environment : { ...environment, promotion },
        ),
      },
      destination: app.destination,
      syncPolicy: app.syncPolicy,
      ignoreDifferences: app.ignoreDifferences,
    },
  };
}

/** Writes `apps` as an application file (`gitops.yaml`) in `dir` and answers its path. */
export async function writeApplications(dir: string, apps: Application[]): Promise<string> {
  const file = join(dir, 'gitops.yaml');
  await writeFile(file, apps.map((app) => JSON.stringify(applicationDocument(app), null, 2)).join('\n---\n'));
  return file;
}
