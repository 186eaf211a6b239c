import type { Application } from '../../packages/config/src/index.js';
import { testApplication } from '../../packages/testing/src/index.js';

export const IMAGE = (app: string) => `127.0.0.1:5000/acme/${app}`;
const DIGEST = `sha256:${'a'.repeat(64)}`;

/** One application's environment: a Deployment, a Service and ConfigMaps, `size` objects in all. */
export function appFiles(app: string, size: number): Record<string, string> {
  const files: Record<string, string> = {
    [`apps/${app}/web.yaml`]: `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: "${IMAGE(app)}@${DIGEST}", resources: { requests: { cpu: 100m, memory: 64Mi } } }] }
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec: { selector: { app: web }, ports: [{ port: 80, targetPort: 8080 }] }
`,
  };
  const configMaps = Array.from(
    { length: size - 2 },
    (_, i) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings-${i} }\ndata: { index: "${i}", app: ${app} }\n`,
  );
  files[`apps/${app}/settings.yaml`] = configMaps.join('---\n');
  return files;
}

export const benchApp = (app: string, repoURL: string): Application =>
  testApplication(app, {
    configRepoURL: repoURL,
    imageRepository: IMAGE(app),
    environments: [
      { name: 'prod', path: `apps/${app}`, destination: { namespace: app, clusterResources: false } },
    ],
  });
