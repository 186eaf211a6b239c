import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Application, normaliseRepoUrl } from '@gitops/config';

export interface TestApplicationOptions {
  repoURL?: string;
  branches?: string[];
  build?: Partial<Application['build']>;
  /** Default `127.0.0.1:5000/acme/<name>`. */
  imageRepository?: string;
  secretEnv?: string;
  configRepoURL?: string;
}

/** An application as the application file's loader makes it, every default applied. */
export function testApplication(name: string, options: TestApplicationOptions = {}): Application {
  const repoURL = options.repoURL ?? `http://git.test/acme/${name}.git`;
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
    config: { repoURL: options.configRepoURL ?? repoURL, branch: 'main', path: '.' },
    destination: { namespace: name },
    syncPolicy: { prune: false, selfHeal: false },
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
      config: app.config,
      destination: app.destination,
      syncPolicy: app.syncPolicy,
    },
  };
}

/** Writes `apps` as an application file (`gitops.yaml`) in `dir` and answers its path. */
export async function writeApplications(dir: string, apps: Application[]): Promise<string> {
  const file = join(dir, 'gitops.yaml');
  await writeFile(file, apps.map((app) => JSON.stringify(applicationDocument(app), null, 2)).join('\n---\n'));
  return file;
}
