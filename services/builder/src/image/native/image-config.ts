/** The runtime part of an image config (OCI image spec `config.md`, `config` field). */
export interface ContainerConfig {
  User?: string;
  ExposedPorts?: Record<string, object>;
  Env?: string[];
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Volumes?: Record<string, object>;
  WorkingDir?: string;
  Labels?: Record<string, string>;
  StopSignal?: string;
  ArgsEscaped?: boolean;
}

export interface HistoryEntry {
  created?: string;
  created_by?: string;
  comment?: string;
  empty_layer?: boolean;
}

/** An image config (OCI image spec; Docker's v2 config has the same fields and a few more we drop). */
export interface ImageConfig {
  created?: string;
  architecture: string;
  os: string;
  variant?: string;
  config?: ContainerConfig;
  rootfs: { type: 'layers'; diff_ids: string[] };
  history?: HistoryEntry[];
}

/** The fields of a base image's config an OCI config carries over; Docker-only ones (Healthcheck…) are dropped. */
const CONTAINER_FIELDS = [
  ...['User', 'ExposedPorts', 'Env', 'Entrypoint', 'Cmd', 'Volumes', 'WorkingDir', 'Labels', 'StopSignal'],
  'ArgsEscaped',
] as const;

/** What `FROM scratch` starts from. */
export const scratchConfig = (): ImageConfig => ({
  architecture: 'amd64',
  os: 'linux',
  rootfs: { type: 'layers', diff_ids: [] },
});

/** A base image's config reduced to the OCI fields, so the image built on it is a valid OCI config. */
export function baseConfig(config: ImageConfig): ImageConfig {
  const container: Record<string, unknown> = {};
  for (const field of CONTAINER_FIELDS) {
    const value = config.config?.[field];
    if (value !== undefined && value !== null) container[field] = value;
  }
  return {
    architecture: config.architecture,
    os: config.os,
    ...(config.variant ? { variant: config.variant } : {}),
    config: container as ContainerConfig,
    rootfs: { type: 'layers', diff_ids: [...config.rootfs.diff_ids] },
    history: [...(config.history ?? [])],
  };
}

/** The value of a variable in an `Env` list (`NAME=value`), or undefined. */
export function envValue(env: string[] | undefined, name: string): string | undefined {
  const entry = env?.findLast((e) => e.slice(0, e.indexOf('=')) === name);
  return entry?.slice(entry.indexOf('=') + 1);
}

/** The `Env` list with `name` set, replacing an earlier value in place. */
export function withEnv(env: string[] | undefined, name: string, value: string): string[] {
  const entry = `${name}=${value}`;
  const list = env ?? [];
  const at = list.findIndex((e) => e.slice(0, e.indexOf('=')) === name);
  return at < 0 ? [...list, entry] : list.map((e, i) => (i === at ? entry : e));
}
