import { it } from 'vitest';
import { parseApplications } from '/work/main/packages/config/src/app-file.js';
it('x', () => { try { parseApplications(`apiVersion: gitops.platform/v1
kind: Application
metadata: { name: a }
spec:
  source: { repoURL: 'git@example.com:acme/a.git' }
  build:
    secrets:
      - { name: A, fromEnv: X, fromFile: /x }
      - { name: B }
      - { name: C, fromFile: relative/path }
    network: host
  image: { repository: 127.0.0.1:5000/acme/a }
  config: { repoURL: 'https://example.com/acme/config' }
  destination: { namespace: a }
`) } catch (e) { console.log(e.problems) } });
