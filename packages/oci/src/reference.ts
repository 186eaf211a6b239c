import { AppError } from '@gitops/errors';
import { isDigest } from './digest.js';

/** A parsed image reference: `host[:port]/path[:tag][@sha256:…]`. */
export interface ImageReference {
  /** The registry host as an image name writes it (`127.0.0.1:5000`, `docker.io`). */
  registry: string;
  /** The repository path inside the registry (`acme/base`, `library/alpine`). */
  repository: string;
  tag?: string;
  digest?: string;
  /** What to ask the registry for: the digest when there is one, else the tag, else `latest`. */
  reference: string;
}

/** Docker Hub's name in image references; its API lives elsewhere (see `registryApiHost`). */
export const DOCKER_HUB = 'docker.io';
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^\w[\w.-]{0,127}$/;

const bad = (ref: string, why: string) =>
  new AppError('GITOPS_OCI_BAD_REFERENCE', `invalid image reference ${JSON.stringify(ref)}: ${why}`, {
    statusCode: 400,
  });

/** The distribution rule: a first component with a dot or a port, or `localhost`, is a host. */
const isHost = (component: string) =>
  component.includes('.') || component.includes(':') || component === 'localhost';

/**
 * Parses an image reference the way docker and containerd do: `127.0.0.1:5000/acme/base:1.0`,
 * `host/repo@sha256:…`, `alpine` (= `docker.io/library/alpine:latest`), `acme/tool:2` (Docker Hub).
 * Also accepts a bare repository (`127.0.0.1:5000/acme/hello`), as an Application's `image.repository`.
 */
export function parseImageReference(ref: string): ImageReference {
  const [nameAndTag = '', digest, ...more] = ref.split('@');
  if (more.length > 0) throw bad(ref, 'more than one @');
  if (digest !== undefined && !isDigest(digest)) throw bad(ref, `${digest} is not a sha256 digest`);
  const slash = nameAndTag.lastIndexOf('/');
  const colon = nameAndTag.lastIndexOf(':');
  const tag = colon > slash ? nameAndTag.slice(colon + 1) : undefined;
  const name = tag === undefined ? nameAndTag : nameAndTag.slice(0, colon);
  if (tag !== undefined && !TAG.test(tag)) throw bad(ref, `${JSON.stringify(tag)} is not a valid tag`);
  const components = name.split('/');
  const first = components[0] ?? '';
  const explicitHost = components.length > 1 && isHost(first);
  const host = explicitHost ? (first === 'index.docker.io' ? DOCKER_HUB : first) : DOCKER_HUB;
  const path = explicitHost ? components.slice(1) : components;
  if (host === DOCKER_HUB && path.length === 1) path.unshift('library');
  if (path.some((c) => !PATH_COMPONENT.test(c)))
    throw bad(ref, 'repository path components are [a-z0-9] with . _ - separators');
  return {
    registry: host,
    repository: path.join('/'),
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
    reference: digest ?? tag ?? 'latest',
  };
}

/** `registry/repository`, the name an image is pushed to and pulled from. */
export const repositoryName = (ref: Pick<ImageReference, 'registry' | 'repository'>): string =>
  `${ref.registry}/${ref.repository}`;
