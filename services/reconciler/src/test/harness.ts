import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Application } from '@gitops/config';
import type { GitopsEvent } from '@gitops/contracts';
import { type KubeApiDouble, rollout, startKubeApiDouble } from '@gitops/kube-api-double';
import {
  type GitServer,
  type RedisServer,
  git,
  makeCommit,
  startGitServer,
  startRedisServer,
  testApplication,
  testLogger,
} from '@gitops/testing';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { GitConfigRepo } from '../adapters/git-config-repo.js';
import { KubeCluster } from '../adapters/kube-cluster.js';
import { loadKubeConfig } from '../adapters/kube-config.js';
import { RedisState } from '../adapters/redis-state.js';
import { Controller } from '../controller.js';
import { kustomizeCommand } from '../manifests/render.js';
import { RenderCache } from '../sync/render-cache.js';

export const IMAGE = '127.0.0.1:5000/acme/shop';
export const digest = (c: string) => `sha256:${c.repeat(64)}`;

/** A Deployment of the application's image at `tag` (or digest), and `replicas`. */
export const deployment = (
  name: string,
  image = `${IMAGE}@${digest('a')}`,
  replicas = 2,
) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name} }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec: { containers: [{ name: ${name}, image: "${image}" }] }
`;
export const configMap = (name: string, extra = '') =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name}${extra} }\ndata: { key: ${name} }\n`;

/** The servers one test of the reconciler needs: the API double, Redis, a git server with the config repo. */
export interface Servers {
  double: KubeApiDouble;
  redisServer: RedisServer;
  gitServer: GitServer;
  stop(): Promise<void>;
}

async function startServers(): Promise<Servers> {
  const [double, redisServer, gitServer] = await Promise.all([
    startKubeApiDouble({ namespaces: ['shop'] }),
    startRedisServer(),
    startGitServer(),
  ]);
  return {
    double,
    redisServer,
    gitServer,
    stop: async () => {
      await Promise.all([double.stop(), redisServer.dispose(), gitServer.dispose()]);
    },
  };
}

export interface Harness {
  app: Application;
  controller: Controller;
  cluster: KubeCluster;
  published: GitopsEvent[];
  /** Commits `files` (null deletes) to the config repo's main branch; answers the sha. */
  push(files: Record<string, string | null>, message?: string): Promise<string>;
  /** Keeps making every Deployment of the namespace Healthy (a workload controller) until stopped. */
  autoRollout(options?: { ready?: boolean }): () => void;
  named(name: string): GitopsEvent[];
  stop(): Promise<void>;
}

export interface HarnessOptions {
  files: Record<string, string>;
  syncPolicy?: Partial<Application['syncPolicy']>;
  healthTimeoutMs?: number;
  clusterResources?: boolean;
  /** Start without a cluster, as without KUBECONFIG. */
  noCluster?: boolean;
}

async function startHarness(servers: Servers, options: HarnessOptions): Promise<Harness> {
  const id = randomUUID().slice(0, 8);
  const repo = await servers.gitServer.createBareRepo(`acme/shop-config-${id}`);
  const work = mkdtempSync(join(tmpdir(), 'shop-config-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'reconciler-data-'));
  await git(['clone', '-q', repo.url, work]);
  const push = async (files: Record<string, string | null>, message = 'config change') => {
    for (const [path, content] of Object.entries(files))
      if (content === null) rmSync(join(work, path), { force: true });
    const written = Object.fromEntries(
      Object.entries(files).filter((entry): entry is [string, string] => entry[1] !== null),
    );
    const sha = await makeCommit(work, written, message);
    await git(['push', '-q', 'origin', 'HEAD:main'], { cwd: work });
    return sha;
  };
  await push(options.files, 'initial config');
  const app = testApplication('shop', {
    configRepoURL: repo.url,
    imageRepository: IMAGE,
    environments: [
      {
        name: 'dev',
        path: 'envs/dev',
        destination: { namespace: 'shop', clusterResources: options.clusterResources ?? false },
      },
    ],
    syncPolicy: options.syncPolicy ?? {},
  });
  const logger = testLogger();
  const cluster = new KubeCluster(loadKubeConfig(servers.double.kubeconfigPath).config!, logger);
  await cluster.connect();
  const redis = new Redis(servers.redisServer.url, { maxRetriesPerRequest: 1 });
  const published: GitopsEvent[] = [];
  const controller = new Controller({
    apps: [app],
    cluster: options.noCluster ? undefined : cluster,
    noClusterReason: 'no KUBECONFIG and no in-cluster service account',
    repo: new GitConfigRepo({
      dir: join(dataDir, 'work'),
      repoURLOf: () => repo.url,
      access: async () => ({ env: { ...process.env }, secrets: [] }),
      author: { name: 'gitops-reconciler', email: 'reconciler@gitops.local' },
    }),
    store: new RedisState(redis, `test:${id}`, 50),
    renders: new RenderCache({ kustomize: await kustomizeCommand(undefined), maxBytes: 1 << 20 }),
    maxObjects: 100,
    healthTimeoutMs: options.healthTimeoutMs ?? 10_000,
    healthPollMs: 50,
    driftDebounceMs: 100,
    logger,
    publish: async (event) => {
      if (!published.some((seen) => seen.id === event.id)) published.push(event);
    },
  });
  const autoRollout = ({ ready = true } = {}) => {
    const timer = setInterval(() => {
      for (const object of servers.double.list({ kind: 'Deployment', namespace: 'shop' })) {
        const status = object.status as { observedGeneration?: number } | undefined;
        if (status?.observedGeneration !== object.metadata.generation) {
          rollout(
            servers.double,
            { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: object.metadata.name },
            { ready },
          );
        }
      }
    }, 30);
    return () => clearInterval(timer);
  };
  return {
    app,
    controller,
    cluster,
    published,
    push,
    autoRollout,
    named: (name) => published.filter((event) => event.type === `dev.gitops.${name}.v1`),
    stop: async () => {
      controller.stop();
      await cluster.stop();
      for (const object of servers.double.list({ namespace: 'shop' })) {
        servers.double.remove({
          apiVersion: object.apiVersion,
          kind: object.kind,
          namespace: 'shop',
          name: object.metadata.name,
        });
      }
      redis.disconnect();
      rmSync(work, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A test file's setup: the servers, started once for the file, and `start`, a harness per test that
 * is stopped after it.
 */
export function harnessPerTest() {
  let started: Servers | undefined;
  let harness: Harness | undefined;
  beforeAll(async () => {
    started = await startServers();
  });
  afterAll(() => started?.stop());
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });
  const scope = {
    get servers(): Servers {
      if (!started) throw new Error('the servers start in beforeAll');
      return started;
    },
    /** A harness; stopping it early (to start another in the same test) is fine. */
    start: async (options: HarnessOptions): Promise<Harness> => {
      const started = await startHarness(scope.servers, options);
      let stopped: Promise<void> | undefined;
      const stop = () => {
        stopped ??= started.stop();
        return stopped;
      };
      harness = { ...started, stop };
      return harness;
    },
  };
  return scope;
}
