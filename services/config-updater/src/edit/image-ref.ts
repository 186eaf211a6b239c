/** An image reference split into its parts: `host/path[:tag][@digest]`. */
export interface ImageRef {
  repository: string;
  tag?: string;
  digest?: string;
}

/** Splits a reference; a `:` after the last `/` starts the tag (a registry port comes before it). */
export function parseImageRef(ref: string): ImageRef {
  const at = ref.indexOf('@');
  const name = at === -1 ? ref : ref.slice(0, at);
  const digest = at === -1 ? undefined : ref.slice(at + 1);
  const colon = name.lastIndexOf(':');
  const tagged = colon > name.lastIndexOf('/');
  return {
    repository: tagged ? name.slice(0, colon) : name,
    ...(tagged ? { tag: name.slice(colon + 1) } : {}),
    ...(digest ? { digest } : {}),
  };
}

/** A reference from the parts a file names, leaving out those it does not. */
export const imageRefOf = (repository: string, tag?: string, digest?: string): ImageRef => ({
  repository,
  ...(tag ? { tag } : {}),
  ...(digest ? { digest } : {}),
});

export const formatImageRef = ({ repository, tag, digest }: ImageRef): string =>
  `${repository}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;

/** What an edit pins: the application's image repository, its digest, and a version tag kept beside it. */
export interface ImagePin {
  repository: string;
  digest: string;
  tag?: string;
}
