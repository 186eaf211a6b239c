import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { configRepo } from '@gitops/fixtures';
import { describe, expect, it } from 'vitest';
import { kustomizeCommand, render } from './render.js';

function repo(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'render-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

const kustomize = await kustomizeCommand(process.env.KUSTOMIZE_BIN);
const renderAt = (root: string, path: string) => render({ root, path, kustomize, maxBytes: 1 << 20 });

const deployment = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name} }
spec:
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec: { containers: [{ name: ${name}, image: "registry.local/acme/${name}:1" }] }
`;

describe('render with the real kustomize', () => {
  it("builds the platform's own config repository", async () => {
    const root = repo(configRepo('hello', '127.0.0.1:5000/acme/hello'));
    const objects = await renderAt(root, 'envs/dev');
    expect(objects).toHaveLength(1);
    expect(objects[0]).toMatchObject({ kind: 'Deployment', metadata: { name: 'hello', namespace: 'hello' } });
  });

  it('builds an overlay on a base, with a generator and an image override', async () => {
    const root = repo({
      'base/kustomization.yaml': 'resources: [deployment.yaml]\n',
      'base/deployment.yaml': deployment('web'),
      'envs/prod/kustomization.yaml': `namespace: shop
resources: [../../base]
configMapGenerator:
  - name: settings
    literals: [MODE=prod]
images:
  - name: registry.local/acme/web
    digest: sha256:${'a'.repeat(64)}
`,
    });
    const objects = await renderAt(root, 'envs/prod');
    const configMap = objects.find((o) => o.kind === 'ConfigMap')!;
    expect(configMap.metadata.name).toMatch(/^settings-[a-z0-9]+$/);
    const web = objects.find((o) => o.kind === 'Deployment')!;
    expect(web.metadata.namespace).toBe('shop');
    expect(JSON.stringify(web)).toContain(`registry.local/acme/web@sha256:${'a'.repeat(64)}`);
  });

  it("names the path and kustomize's own message for a broken kustomization", async () => {
    const root = repo({ 'envs/dev/kustomization.yaml': 'resources: [missing.yaml]\n' });
    await expect(renderAt(root, 'envs/dev')).rejects.toThrow(/envs\/dev: kustomize: .*missing\.yaml/);
  });

  it('refuses a resource outside the repository', async () => {
    const root = repo({ 'envs/dev/kustomization.yaml': 'resources: [../../../etc]\n' });
    await expect(renderAt(root, 'envs/dev')).rejects.toThrow(/points outside the repository/);
  });

  it('refuses a remote resource', async () => {
    const root = repo({
      'envs/dev/kustomization.yaml': 'resources: [https://github.com/acme/x//base?ref=v1]\n',
    });
    await expect(renderAt(root, 'envs/dev')).rejects.toThrow(/remote resource/);
  });

  it('refuses a resource reached through a symlink that leaves the repository', async () => {
    const outside = repo({ 'deployment.yaml': deployment('evil') });
    const root = repo({ 'envs/dev/kustomization.yaml': 'resources: [link/deployment.yaml]\n' });
    symlinkSync(outside, join(root, 'envs/dev/link'));
    await expect(renderAt(root, 'envs/dev')).rejects.toThrow(/outside the repository through a symlink/);
  });
});

describe('render of a plain folder', () => {
  it('reads YAML recursively, several documents a file, in path order', async () => {
    const root = repo({
      'app/b.yaml': `${deployment('b')}---\napiVersion: v1\nkind: Service\nmetadata: { name: b }\n`,
      'app/a/nested.yml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n---\n',
      'app/README.md': '# not a manifest',
    });
    const objects = await renderAt(root, 'app');
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ConfigMap/a',
      'Deployment/b',
      'Service/b',
    ]);
  });

  it('names the file and document of something that is not a manifest', async () => {
    const root = repo({
      'app/x.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n---\nkind: Oops\n',
    });
    await expect(renderAt(root, 'app')).rejects.toThrow(
      'app/x.yaml: document 2: apiVersion and kind are required',
    );
  });

  it('refuses an environment path outside the repository', async () => {
    const root = repo({ 'app/x.yaml': '' });
    await expect(renderAt(root, '../x')).rejects.toThrow(/environment path/);
  });
});
