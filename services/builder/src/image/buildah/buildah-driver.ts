import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type ImageManifest, readOciLayout } from '@gitops/oci';
import { readContext } from '../context/walk.js';
import type { Digest } from '../digest.js';
import { dockerfilePath } from '../dockerfile-path.js';
import { type RawInstruction, parseDockerfile } from '../dockerfile/dockerfile.js';
import { registryImages, resolveStages } from '../dockerfile/from.js';
import type { BuiltImage, DriverSettings, ImageBuildRequest, ImageDriver } from '../driver.js';
import { discardFailedBuild } from '../failed-build.js';
import { buildahFailure } from './buildah-error.js';
import { type BuildahCall, runBuildah } from './buildah-process.js';
import { writeRegistryConfig } from './registry-config.js';

/** The storage driver on every call: buildah ignores STORAGE_DRIVER, and vfs works everywhere. */
const STORAGE_DRIVER = 'vfs';

/**
 * Builds any Dockerfile, RUN included, with `buildah bud --isolation chroot` in a storage root under
 * the data dir, the timestamp pinned to the commit time, then pushes the image to the OCI layout and
 * removes it from the storage (base images stay there as a cache).
 */
export class BuildahImageDriver implements ImageDriver {
  readonly name = 'buildah';
  private readonly storage: string[];

  constructor(private readonly options: DriverSettings) {
    const root = join(options.dataDir, 'buildah');
    this.storage = [
      '--storage-driver',
      STORAGE_DRIVER,
      '--root',
      join(root, 'root'),
      '--runroot',
      join(root, 'runroot'),
    ];
  }

  async build(request: ImageBuildRequest): Promise<BuiltImage> {
    const tmpRoot = join(this.options.dataDir, 'buildah', 'tmp');
    await mkdir(tmpRoot, { recursive: true });
    const tmp = await mkdtemp(join(tmpRoot, 'build-'));
    const tag = `localhost/gitops-build/${request.app}:${randomUUID()}`;
    try {
      return await this.run(request, tag, tmp);
    } catch (err) {
      throw await discardFailedBuild(request, err);
    } finally {
      // Never aborted: the image must go even when the build was cancelled.
      const cleanUp = { args: ['rmi', tag], env: buildahEnv({}), signal: new AbortController().signal };
      await this.call(cleanUp).catch(() => undefined);
      await rm(tmp, { recursive: true, force: true });
    }
  }

  private async run(request: ImageBuildRequest, tag: string, tmp: string): Promise<BuiltImage> {
    const dockerfile = await dockerfilePath(request.contextDir, request.dockerfile);
    const instructions = parseDockerfile(await readFile(dockerfile, 'utf8'));
    // buildah would copy them all the same; the walk refuses escaping symlinks and oversized contexts.
    await readContext(request.contextDir, {
      dockerfile: request.dockerfile,
      maxBytes: this.options.contextMaxBytes,
      signal: request.signal,
    });
    const registry = await writeRegistryConfig(tmp, this.options.env);
    const env = buildahEnv({ ...registry.env, TMPDIR: tmp });
    // A root builder runs RUN lines isolated (isolatedBud); their base images come in first, on the
    // builder's network, as `bud` would have pulled them (if newer or missing).
    const isolate = isolatedBud() ? (request.network ?? 'none') : undefined;
    if (isolate) await this.pullBases(instructions, request, [...registry.args], env);
    const bud = await this.call({
      args: [
        ...budArgs(request, dockerfile, tag),
        ...(isolate ? ['--pull=never'] : []),
        ...registry.args,
        request.contextDir,
      ],
      env,
      signal: request.signal,
      onLine: request.log,
      ...(isolate ? { isolate } : {}),
    });
    if (bud.code !== 0) throw buildahFailure(bud.tail, instructions, bud.code);
    // buildah creates the layout directory, not its parents.
    await mkdir(dirname(request.outputDir), { recursive: true });
    const push = await this.call({
      args: ['push', '--quiet', tag, `oci:${request.outputDir}`],
      env,
      signal: request.signal,
    });
    if (push.code !== 0) throw buildahFailure(push.tail, [], push.code);
    const baseImages = await this.baseImages(instructions, request, env);
    return { ...(await readBuiltImage(request.outputDir)), baseImages };
  }

  private call(call: BuildahCall) {
    return runBuildah(this.storage, call);
  }

  /** Pulls the registry images of the FROM lines, as `bud --pull` would: if missing or newer. */
  private async pullBases(
    instructions: RawInstruction[],
    request: ImageBuildRequest,
    registryArgs: string[],
    env: NodeJS.ProcessEnv,
  ): Promise<void> {
    const { froms } = resolveStages(instructions, request.buildArgs ?? {});
    for (const { image } of registryImages(froms)) {
      const args = ['pull', '--quiet', '--policy', 'always', ...registryArgs, image];
      const pulled = await this.call({ args, env, signal: request.signal, onLine: request.log });
      if (pulled.code !== 0) throw buildahFailure(pulled.tail, [], pulled.code);
    }
  }

  /** The registry images the FROM lines named, with the manifest digest buildah pulled them at. */
  private async baseImages(
    instructions: RawInstruction[],
    request: ImageBuildRequest,
    env: NodeJS.ProcessEnv,
  ) {
    const { froms } = resolveStages(instructions, request.buildArgs ?? {});
    const out: BuiltImage['baseImages'] = [];
    for (const { image } of registryImages(froms)) {
      const args = ['images', '--noheading', '--format', '{{.Digest}}', image];
      const listed = await this.call({ args, env, signal: request.signal });
      const digest = listed.stdout.trim().split('\n')[0] ?? '';
      if (listed.code === 0 && digest.startsWith('sha256:'))
        out.push({ name: image, digest: digest as Digest });
    }
    return out;
  }
}

/**
 * What of the builder's environment buildah gets: how to find programs, its own and containers/image's
 * settings, proxies and CA certificates for pulls. Nothing of the platform's (REGISTRY_PASSWORD goes
 * in the auth file only, GIT_*, NATS_URL, REDIS_URL, webhook secrets): RUN lines run next to buildah
 * and, as root, could read its environment.
 */
const BUILDAH_ENV =
  /^(PATH|HOME|USER|LANG|LC_ALL|TZ|XDG_RUNTIME_DIR|(HTTPS?|NO)_PROXY|(https?|no)_proxy|SSL_CERT_(FILE|DIR)|BUILDAH_\w+|CONTAINERS_\w+|STORAGE_\w+|_CONTAINERS_\w+)$/;

function buildahEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const passed = Object.entries(process.env).filter(([name]) => BUILDAH_ENV.test(name));
  return { ...Object.fromEntries(passed), ...extra };
}

/**
 * Whether `bud` runs in namespaces of its own (runBuildah's `isolate`): for a root builder, whose
 * RUN lines run as root on the host (`--isolation chroot`). A rootless buildah makes its own user
 * namespace, which `unshare` could not give it more of; see docs/builder.md, "Sandbox".
 */
const isolatedBud = () => process.getuid?.() === 0;

function budArgs(request: ImageBuildRequest, dockerfile: string, tag: string): string[] {
  const pairs = (flag: string, values: Record<string, string> = {}) =>
    Object.entries(values).flatMap(([k, v]) => [flag, `${k}=${v}`]);
  const timestamp = String(Math.floor(request.commitTime.getTime() / 1000));
  return [
    ...['bud', '--isolation', 'chroot', '--timestamp', timestamp, '-f', dockerfile, '-t', tag],
    ...pairs('--label', request.labels),
    ...pairs('--build-arg', request.buildArgs),
  ];
}

/** The manifest digest buildah wrote to the layout, and manifest + config + layers in bytes. */
async function readBuiltImage(outputDir: string): Promise<Omit<BuiltImage, 'baseImages'>> {
  const layout = await readOciLayout(outputDir);
  const descriptor = layout.find();
  const manifest = await layout.readJson<ImageManifest>(descriptor.digest);
  const size = [manifest.config, ...manifest.layers].reduce((sum, d) => sum + d.size, descriptor.size);
  return { digest: descriptor.digest as Digest, size };
}
