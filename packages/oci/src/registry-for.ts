import { readFileSync } from 'node:fs';
import { AppError } from '@gitops/errors';
import { DOCKER_HUB, type ImageReference, parseImageReference } from './reference.js';
import { RegistryClient, type RegistryClientOptions } from './registry-client.js';

/** The environment variables that configure registry access (docs/configuration.md). */
export interface RegistryEnv {
  /** The platform's registry, scheme included (default `http://127.0.0.1:5000`). */
  REGISTRY_URL?: string;
  REGISTRY_USERNAME?: string;
  REGISTRY_PASSWORD?: string;
  /** A PEM file of extra CA certificates trusted for HTTPS registries. */
  REGISTRY_CA_FILE?: string;
}

export interface RegistryTarget {
  client: RegistryClient;
  /** The repository path inside the registry (`acme/hello`). */
  repository: string;
  /** The whole parsed reference (tag, digest) for callers that were given one. */
  ref: ImageReference;
}

export const DEFAULT_REGISTRY_URL = 'http://127.0.0.1:5000';
/** Docker Hub serves its API from another host than the one image names use. */
const DOCKER_HUB_API = 'https://registry-1.docker.io';

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };
const sameHost = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function baseUrlFor(registry: string, platform: URL): { url: string; ours: boolean } {
  const withDefaultPort =
    platform.port === '' ? `${platform.hostname}:${DEFAULT_PORTS[platform.protocol] ?? ''}` : platform.host;
  if (sameHost(registry, platform.host) || sameHost(registry, withDefaultPort)) {
    return { url: platform.origin, ours: true };
  }
  return { url: registry === DOCKER_HUB ? DOCKER_HUB_API : `https://${registry}`, ours: false };
}

const clients = new WeakMap<object, Map<string, RegistryClient>>();

/**
 * The client and repository for an image repository or reference (`127.0.0.1:5000/acme/hello`,
 * `docker.io/library/alpine:3`, `alpine`). The host of REGISTRY_URL gets that URL's scheme and
 * REGISTRY_USERNAME/REGISTRY_PASSWORD; any other host is HTTPS and anonymous (until challenged: Docker Hub's
 * anonymous tokens work). Clients are kept per `env` object and registry, so token caches and
 * connections are shared by every caller passing the same env (`options` apply when a client is made).
 */
export function registryFor(
  imageRepositoryOrRef: string,
  env: RegistryEnv = process.env,
  options: Pick<RegistryClientOptions, 'logger' | 'retry' | 'upload'> = {},
): RegistryTarget {
  const ref = parseImageReference(imageRepositoryOrRef);
  const platform = parseRegistryUrl(env.REGISTRY_URL || DEFAULT_REGISTRY_URL);
  const { url, ours } = baseUrlFor(ref.registry, platform);
  const perEnv = clients.get(env) ?? new Map<string, RegistryClient>();
  clients.set(env, perEnv);
  let client = perEnv.get(url);
  if (!client) {
    client = new RegistryClient({
      url,
      ...(ours && env.REGISTRY_USERNAME
        ? { credentials: { username: env.REGISTRY_USERNAME, password: env.REGISTRY_PASSWORD ?? '' } }
        : {}),
      ...(env.REGISTRY_CA_FILE ? { ca: readFileSync(env.REGISTRY_CA_FILE) } : {}),
      ...options,
    });
    perEnv.set(url, client);
  }
  return { client, repository: ref.repository, ref };
}

function parseRegistryUrl(value: string): URL {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url;
  } catch {
    // reported below, with the variable's name
  }
  throw new AppError('GITOPS_CONFIG_INVALID', `REGISTRY_URL: not an http(s) URL: ${JSON.stringify(value)}`);
}
