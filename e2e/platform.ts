// The platform as the end-to-end tests run it: real NATS, Redis, registry and git servers, every
// service as its own process configured by environment variables only, and a clone of a repository
// whose post-receive hook posts a signed webhook to the receiver.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  type GitServer,
  type NatsServer,
  type RedisServer,
  type RegistryServer,
  type ServiceProcess,
  git,
  repoRoot,
  spawnService,
  startGitServer,
  startNatsServer,
  startRedisServer,
  startRegistry,
} from '@gitops/testing';

const SECRET = 'e2e-webhook-secret';
const hook = readFileSync(resolve(repoRoot, 'infra/git-hooks/post-receive'), 'utf8');

export const author = { name: 'Ada Lovelace', email: 'ada@example.com' };

/** A repository the builder turns into an image: a Dockerfile and a test step. */
export const source = {
  Dockerfile: 'FROM scratch\nCOPY app.txt /srv/app.txt\nCMD ["/srv/app.txt"]\n',
  'app.txt': 'hello from the pipeline\n',
  '.gitops.yaml': 'version: 1\nsteps:\n  - name: test\n    run: test -s app.txt\n',
};

const application = (repoURL: string, imageRepository: string) => `apiVersion: gitops.platform/v1
kind: Application
metadata: { name: hello }
spec:
  source: { repoURL: '${repoURL}', branches: [main] }
  image: { repository: ${imageRepository} }
  config: { repoURL: '${repoURL.replace('hello.git', 'hello-config.git')}', path: envs/dev }
  destination: { namespace: hello }
`;

export interface Platform {
  nats: NatsServer;
  registry: RegistryServer;
  /** receiver, builder, image pusher. */
  services: ServiceProcess[];
  /** A clone of the application `hello`: what is pushed from here starts a pipeline. */
  work: string;
  /** SIGTERM to every service, then the servers; answers the services' exit codes. */
  stop(): Promise<(number | null)[]>;
}

/** Starts the servers and the services (with `env` added to theirs) and clones the demo repository. */
export async function startPlatform(env: Record<string, string> = {}): Promise<Platform> {
  const [nats, redis, registry, gitServer]: [NatsServer, RedisServer, RegistryServer, GitServer] =
    await Promise.all([startNatsServer(), startRedisServer(), startRegistry(), startGitServer()]);
  const dir = mkdtempSync(join(tmpdir(), 'gitops-e2e-'));
  const appsFile = join(dir, 'gitops.yaml');
  const repoURL = `${gitServer.url}/acme/hello.git`;
  writeFileSync(appsFile, application(repoURL, `${registry.host}/acme/hello`));
  const serviceEnv = {
    NATS_URL: nats.url,
    REDIS_URL: redis.url,
    GITOPS_APPS: appsFile,
    GITOPS_DATA_DIR: join(dir, 'data'),
    REGISTRY_URL: registry.url,
    ...env,
  };
  const started = await Promise.allSettled([
    spawnService('webhook-receiver', { ...serviceEnv, WEBHOOK_SECRET: SECRET }),
    spawnService('builder', serviceEnv),
    spawnService('image-pusher', serviceEnv),
  ]);
  const services = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const stop = async () => {
    const codes = await Promise.all(services.map((service) => service.stop()));
    await Promise.all([nats, redis, registry, gitServer].map((server) => server.dispose()));
    return codes;
  };
  try {
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const repo = await gitServer.createBareRepo('acme/hello', {
      postReceiveHook: hook,
      config: {
        'gitops.webhookUrl': `${services[0]!.url}/webhooks/generic`,
        'gitops.repoUrl': repoURL,
        'gitops.secret': SECRET,
      },
    });
    const work = join(dir, 'hello');
    await git(['clone', '-q', repo.url, work]);
    return { nats, registry, services, work, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
