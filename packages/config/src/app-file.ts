import { readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { validationIssues } from '@gitops/contracts';
import { AppError } from '@gitops/errors';
import { parseAllDocuments } from 'yaml';
import {
  type Application,
  type ApplicationDocument,
  ApplicationSchema,
  type Destination,
  type Environment,
} from './application.js';
import { normaliseRepoUrl } from './repo-url.js';

export class AppFileError extends AppError {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super('GITOPS_APPFILE_INVALID', `${file}: ${problems.join('; ')}`);
  }
}

const destinationOf = (destination: { namespace: string; clusterResources?: boolean }): Destination => ({
  namespace: destination.namespace,
  clusterResources: destination.clusterResources ?? false,
});

/** The shorthand `path` is one environment named after its last segment; `.` names it `default`. */
export const environmentNameOf = (path: string) =>
  path
    .split('/')
    .filter((part) => part !== '' && part !== '.')
    .pop() ?? 'default';

function environmentsOf({ config, destination }: ApplicationDocument['spec']): Environment[] {
  const branch = config.branch ?? 'main';
  const listed = config.environments ?? [
    { name: environmentNameOf(config.path ?? '.'), path: config.path ?? '.' },
  ];
  return listed.map((environment, index) => ({
    name: environment.name,
    path: environment.path,
    branch: environment.branch ?? branch,
    promotion: index === 0 ? 'none' : (environment.promotion ?? 'approval'),
    destination: destinationOf(environment.destination ?? destination),
  }));
}

function toApplication(doc: ApplicationDocument): Application {
  const { metadata, spec } = doc;
  const environments = environmentsOf(spec);
  return {
    name: metadata.name,
    source: {
      repoURL: spec.source.repoURL,
      repoKey: normaliseRepoUrl(spec.source.repoURL),
      branches: spec.source.branches ?? ['main'],
    },
    webhook: { ...(spec.webhook ?? {}) },
    build: {
      context: spec.build?.context ?? '.',
      dockerfile: spec.build?.dockerfile ?? 'Dockerfile',
      driver: spec.build?.driver ?? 'auto',
      env: Object.fromEntries(Object.entries(spec.build?.env ?? {}).map(([k, v]) => [k, String(v)])),
      secrets: (spec.build?.secrets ?? []).map(({ name, fromEnv, fromFile }) =>
        fromEnv === undefined ? { name, fromFile: fromFile! } : { name, fromEnv },
      ),
      network: spec.build?.network ?? 'none',
    },
    image: { repository: spec.image.repository },
    config: {
      repoURL: spec.config.repoURL,
      repoKey: normaliseRepoUrl(spec.config.repoURL),
      branch: environments[0]!.branch,
      path: environments[0]!.path,
      environments,
      helm: {
        valuesFile: spec.config.helm?.valuesFile ?? 'values.yaml',
        imageKey: spec.config.helm?.imageKey ?? 'image',
      },
    },
    destination: destinationOf(spec.destination),
    syncPolicy: {
      prune: spec.syncPolicy?.prune ?? false,
      selfHeal: spec.syncPolicy?.selfHeal ?? false,
      autoRollback: spec.syncPolicy?.autoRollback ?? false,
      forceConflicts: spec.syncPolicy?.forceConflicts ?? false,
    },
    ignoreDifferences: spec.ignoreDifferences ?? [],
  };
}

function checkUrls(doc: ApplicationDocument): string[] {
  const problems: string[] = [];
  for (const [path, value] of [
    ['spec.source.repoURL', doc.spec.source.repoURL],
    ['spec.config.repoURL', doc.spec.config.repoURL],
  ] as const) {
    try {
      normaliseRepoUrl(value);
    } catch (err) {
      problems.push(`${path}: ${(err as Error).message}`);
    }
  }
  return problems;
}

/** Variables the builder sets for every step itself (docs/builder.md, "What a step gets"). */
const BUILDER_SET = /^(HOME|TMPDIR|CI|GITOPS_.*)$/;

/** Names of `spec.build.env` and `spec.build.secrets` a step could not get: the builder's own, or one named twice. */
function checkBuildEnv(doc: ApplicationDocument): string[] {
  const problems: string[] = [];
  const named = [
    ...Object.keys(doc.spec.build?.env ?? {}).map((name) => [`spec.build.env.${name}`, name]),
    ...(doc.spec.build?.secrets ?? []).map((secret, i) => [`spec.build.secrets.${i}.name`, secret.name]),
  ];
  (doc.spec.build?.secrets ?? []).forEach(({ fromEnv, fromFile }, i) => {
    if ((fromEnv === undefined) === (fromFile === undefined))
      problems.push(`spec.build.secrets.${i}: needs exactly one of fromEnv and fromFile`);
    else if (fromFile !== undefined && !isAbsolute(fromFile))
      problems.push(`spec.build.secrets.${i}.fromFile: "${fromFile}" must be an absolute path`);
  });
  const seen = new Set<string>();
  for (const [path, name] of named as [string, string][]) {
    if (BUILDER_SET.test(name)) problems.push(`${path}: "${name}" is set by the builder for every step`);
    else if (seen.has(name)) problems.push(`${path}: "${name}" is already declared in spec.build`);
    seen.add(name);
  }
  return problems;
}

/** Environment names are unique, paths stay inside the repository, and `path` and `environments` exclude each other. */
function checkEnvironments(doc: ApplicationDocument): string[] {
  const { config } = doc.spec;
  const problems: string[] = [];
  if (config.environments && config.path !== undefined)
    problems.push('spec.config.path: give either path or environments, not both');
  const paths: [string, string][] = config.environments
    ? config.environments.map((environment, i) => [`spec.config.environments.${i}.path`, environment.path])
    : [['spec.config.path', config.path ?? '.']];
  for (const [where, path] of paths)
    if (isAbsolute(path) || path.split('/').includes('..'))
      problems.push(`${where}: "${path}" must be a path inside the config repository`);
  const seen = new Set<string>();
  (config.environments ?? []).forEach(({ name }, i) => {
    if (seen.has(name))
      problems.push(`spec.config.environments.${i}.name: "${name}" is already an environment`);
    seen.add(name);
  });
  if (config.environments?.[0]?.promotion)
    problems.push(
      'spec.config.environments.0.promotion: the first environment is updated by every pipeline, not promoted to',
    );
  return problems;
}

/**
 * Parses the multi-document application file. Every problem is reported at once as
 * `<file>: document <n>: <field path>: <message>`, so a bad file is fixed in one pass.
 */
export function parseApplications(text: string, file = 'gitops.yaml'): Application[] {
  const problems: string[] = [];
  const apps: Application[] = [];
  const seen = new Map<string, number>();
  parseAllDocuments(text).forEach((document, index) => {
    const where = `document ${index + 1}`;
    if (document.errors.length > 0) {
      for (const e of document.errors) problems.push(`${where}: YAML: ${e.message.split('\n')[0]}`);
      return;
    }
    const value = document.toJS();
    if (value === null || value === undefined) return;
    // The schema's paths are JSON pointers (`/spec/source`); the messages name fields dotted.
    const issues = validationIssues(ApplicationSchema, value).map((issue) => {
      const [path = '', ...message] = issue.split(': ');
      return [path.replace(/^\//, '').replaceAll('/', '.'), ...message].join(': ');
    });
    const doc = value as ApplicationDocument;
    if (issues.length === 0) issues.push(...checkUrls(doc), ...checkBuildEnv(doc), ...checkEnvironments(doc));
    if (issues.length > 0) {
      for (const issue of issues) problems.push(`${where}: ${issue}`);
      return;
    }
    const first = seen.get(doc.metadata.name);
    if (first)
      problems.push(`${where}: metadata.name: "${doc.metadata.name}" is already used by document ${first}`);
    seen.set(doc.metadata.name, index + 1);
    apps.push(toApplication(doc));
  });
  if (problems.length > 0) throw new AppFileError(file, problems);
  return apps;
}

export function loadApplications(file: string): Application[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new AppFileError(file, [
      `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    ]);
  }
  return parseApplications(text, file);
}
