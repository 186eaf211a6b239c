import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppFileError, loadApplications, parseApplications } from './app-file.js';

const hello = `apiVersion: gitops.platform/v1
kind: Application
metadata:
  name: hello
spec:
  source:
    repoURL: http://127.0.0.1:8181/acme/hello.git
    branches: [main, 'release/*']
  webhook:
    secretEnv: HELLO_WEBHOOK_SECRET
  build:
    context: .
    dockerfile: Dockerfile
  image:
    repository: 127.0.0.1:5000/acme/hello
  config:
    repoURL: http://127.0.0.1:8181/acme/hello-config.git
    branch: main
    path: envs/dev
  destination:
    namespace: hello
  syncPolicy:
    prune: true
    selfHeal: false
`;
const minimal = (name: string) => `apiVersion: gitops.platform/v1
kind: Application
metadata: { name: ${name} }
spec:
  source: { repoURL: 'git@example.com:acme/${name}.git' }
  image: { repository: 127.0.0.1:5000/acme/${name} }
  config: { repoURL: 'https://example.com/acme/config' }
  destination: { namespace: ${name} }
`;

const problemsOf = (text: string) => {
  try {
    parseApplications(text, 'apps.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(AppFileError);
    return (err as AppFileError).problems;
  }
  throw new Error('expected the file to be refused');
};

describe('parseApplications', () => {
  it('loads the example of docs/applications.md', () => {
    const [app] = parseApplications(hello);
    expect(app).toMatchObject({
      name: 'hello',
      source: { repoKey: '127.0.0.1:8181/acme/hello', branches: ['main', 'release/*'] },
      webhook: { secretEnv: 'HELLO_WEBHOOK_SECRET' },
      config: { path: 'envs/dev' },
      syncPolicy: { prune: true, selfHeal: false },
    });
  });

  it('applies defaults to optional sections, across several documents', () => {
    const apps = parseApplications(`${minimal('a')}---\n${minimal('b')}`);
    expect(apps.map((a) => a.name)).toEqual(['a', 'b']);
    expect(apps[0]).toMatchObject({
      source: { branches: ['main'] },
      build: { context: '.', dockerfile: 'Dockerfile' },
      config: { branch: 'main', path: '.' },
      syncPolicy: { prune: false, selfHeal: false },
    });
  });

  it('names the document and field path of an unknown field', () => {
    const problems = problemsOf(
      `${minimal('a')}---\n${minimal('b').replace('  source:', '  surprise: 1\n  source:')}`,
    );
    expect(problems.join('\n')).toMatch(/^document 2: spec: .*surprise|document 2: spec/m);
    expect(problems.every((p) => p.startsWith('document 2'))).toBe(true);
  });

  it('names a bad value by its field path', () => {
    expect(problemsOf(minimal('Not_A_Label'))[0]).toMatch(/^document 1: metadata.name: /);
  });

  it('refuses a repository URL it cannot read', () => {
    expect(problemsOf(minimal('a').replace("'git@example.com:acme/a.git'", 'nope'))).toEqual([
      'document 1: spec.source.repoURL: not a git repository URL: "nope"',
    ]);
  });

  it('refuses two applications with one name', () => {
    expect(problemsOf(`${minimal('a')}---\n${minimal('a')}`)).toEqual([
      'document 2: metadata.name: "a" is already used by document 1',
    ]);
  });

  it('reports YAML syntax errors with the document index', () => {
    expect(problemsOf(`${minimal('a')}---\nkey: [unclosed\n`)[0]).toMatch(/^document 2: YAML: /);
  });
});

describe('loadApplications', () => {
  it('names the file in every error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'apps-'));
    const file = join(dir, 'gitops.yaml');
    writeFileSync(file, minimal('Bad'));
    expect(() => loadApplications(file)).toThrow(`${file}: document 1: metadata.name`);
    expect(() => loadApplications(join(dir, 'missing.yaml'))).toThrow(/missing.yaml: cannot read: ENOENT/);
  });
});

describe('spec.build: what build steps get', () => {
  const withBuild = (build: string) => minimal('a').replace('  image:', `  build:\n${build}\n  image:`);

  it('reads plain env values as strings, secrets from a variable or a file, and the network', () => {
    const [app] = parseApplications(
      withBuild(`    env: { NODE_ENV: production, LEVEL: 2, VERBOSE: true }
    secrets:
      - { name: NPM_TOKEN, fromEnv: A_NPM_TOKEN }
      - { name: SIGNING_KEY, fromFile: /etc/gitops-secrets/a/signing-key }
    network: egress`),
    );
    expect(app?.build).toEqual({
      context: '.',
      dockerfile: 'Dockerfile',
      driver: 'auto',
      env: { NODE_ENV: 'production', LEVEL: '2', VERBOSE: 'true' },
      secrets: [
        { name: 'NPM_TOKEN', fromEnv: 'A_NPM_TOKEN' },
        { name: 'SIGNING_KEY', fromFile: '/etc/gitops-secrets/a/signing-key' },
      ],
      network: 'egress',
    });
  });

  it('gives steps no env, no secret and no network by default', () => {
    expect(parseApplications(minimal('a'))[0]?.build).toMatchObject({
      env: {},
      secrets: [],
      network: 'none',
    });
  });

  it('refuses a secret without exactly one source, a relative file and an unknown network', () => {
    const problems = problemsOf(withBuild('    network: host'));
    expect(problems).toEqual(['document 1: spec.build.network: Expected union value']);
    const sources = problemsOf(
      withBuild(`    secrets:
      - { name: A, fromEnv: X, fromFile: /x }
      - { name: B }
      - { name: C, fromFile: relative/path }`),
    );
    expect(sources).toEqual([
      'document 1: spec.build.secrets.0: needs exactly one of fromEnv and fromFile',
      'document 1: spec.build.secrets.1: needs exactly one of fromEnv and fromFile',
      'document 1: spec.build.secrets.2.fromFile: "relative/path" must be an absolute path',
    ]);
  });

  it('refuses names the builder sets itself, and a name declared twice', () => {
    const problems = problemsOf(
      withBuild(`    env: { HOME: /x, GITOPS_APP: y, TOKEN: z }
    secrets: [{ name: TOKEN, fromEnv: A_TOKEN }, { name: CI, fromEnv: B }]`),
    );
    expect(problems).toEqual([
      'document 1: spec.build.env.HOME: "HOME" is set by the builder for every step',
      'document 1: spec.build.env.GITOPS_APP: "GITOPS_APP" is set by the builder for every step',
      'document 1: spec.build.secrets.0.name: "TOKEN" is already declared in spec.build',
      'document 1: spec.build.secrets.1.name: "CI" is set by the builder for every step',
    ]);
  });
});

describe('environments (docs/applications.md, "Environments and promotion")', () => {
  const withConfig = (config: string) =>
    minimal('hello').replace("  config: { repoURL: 'https://example.com/acme/config' }\n", config);
  const listed = withConfig(`  config:
    repoURL: http://127.0.0.1:8181/acme/hello-config.git
    branch: main
    environments:
      - { name: dev, path: envs/dev }
      - { name: staging, path: envs/staging, branch: staging, promotion: auto }
      - name: prod
        path: envs/prod
        destination: { namespace: hello-prod }
`);

  it('names the shorthand path after its last segment', () => {
    const [app] = parseApplications(
      withConfig("  config: { repoURL: 'https://example.com/acme/config', path: envs/dev/ }\n"),
    );
    expect(app!.config.environments).toEqual([
      {
        name: 'dev',
        path: 'envs/dev/',
        branch: 'main',
        promotion: 'none',
        destination: { namespace: 'hello', clusterResources: false },
      },
    ]);
    expect(parseApplications(minimal('a'))[0]!.config.environments[0]!.name).toBe('default');
  });

  it('lists environments in order, with branch, promotion (approval by default) and destination', () => {
    const [app] = parseApplications(listed);
    expect(
      app!.config.environments.map(({ name, branch, promotion, destination }) => [
        name,
        branch,
        promotion,
        destination.namespace,
      ]),
    ).toEqual([
      ['dev', 'main', 'none', 'hello'],
      ['staging', 'staging', 'auto', 'hello'],
      ['prod', 'main', 'approval', 'hello-prod'],
    ]);
    expect(app!.config).toMatchObject({
      path: 'envs/dev',
      branch: 'main',
      repoKey: '127.0.0.1:8181/acme/hello-config',
    });
  });

  it('refuses duplicate names, paths outside the repository, a promoted first environment and path with environments', () => {
    const problems = problemsOf(
      withConfig(`  config:
    repoURL: http://127.0.0.1:8181/acme/hello-config.git
    path: envs/dev
    environments:
      - { name: dev, path: ../dev, promotion: auto }
      - { name: dev, path: /etc }
`),
    );
    expect(problems).toEqual([
      'document 1: spec.config.path: give either path or environments, not both',
      'document 1: spec.config.environments.0.path: "../dev" must be a path inside the config repository',
      'document 1: spec.config.environments.1.path: "/etc" must be a path inside the config repository',
      'document 1: spec.config.environments.1.name: "dev" is already an environment',
      'document 1: spec.config.environments.0.promotion: the first environment is updated by every pipeline, not promoted to',
    ]);
  });

  it('defaults the reconciler options and the Helm image key', () => {
    const [app] = parseApplications(minimal('a'));
    expect(app).toMatchObject({
      syncPolicy: { autoRollback: false, forceConflicts: false },
      ignoreDifferences: [],
      config: { helm: { valuesFile: 'values.yaml', imageKey: 'image' } },
    });
  });
});
