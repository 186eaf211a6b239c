import { AppName } from '@gitops/contracts';
import { type Static, Type } from '@sinclair/typebox';

const closed = { additionalProperties: false } as const;
const NonEmpty = Type.String({ minLength: 1 });
const EnvName = Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' });

/**
 * A secret a build step gets as `name`, from a variable of the builder's environment (`fromEnv`) or a
 * file the builder reads (`fromFile`, absolute): exactly one of them, which the loader checks.
 */
const BuildSecretSource = Type.Object(
  { name: EnvName, fromEnv: Type.Optional(EnvName), fromFile: Type.Optional(NonEmpty) },
  closed,
);

const Destination = Type.Object(
  { namespace: AppName, clusterResources: Type.Optional(Type.Boolean()) },
  closed,
);

/** `spec.config.environments[]` (docs/applications.md, "Environments and promotion"). */
const EnvironmentSchema = Type.Object(
  {
    name: AppName,
    path: NonEmpty,
    branch: Type.Optional(NonEmpty),
    promotion: Type.Optional(Type.Union([Type.Literal('auto'), Type.Literal('approval')])),
    destination: Type.Optional(Destination),
  },
  closed,
);

/** Where a Helm chart's values file names the image: `<imageKey>.repository`, `.tag`, `.digest`. */
const HelmSchema = Type.Object(
  { valuesFile: Type.Optional(NonEmpty), imageKey: Type.Optional(NonEmpty) },
  closed,
);

/** Fields of live objects the reconciler never counts as a difference (JSON pointers). */
const IgnoreDifference = Type.Object(
  {
    group: Type.Optional(Type.String()),
    kind: NonEmpty,
    name: Type.Optional(NonEmpty),
    namespace: Type.Optional(NonEmpty),
    jsonPointers: Type.Array(Type.String({ pattern: '^(/.*)?$' }), { minItems: 1 }),
  },
  closed,
);

/** The Application document (docs/applications.md). Unknown fields are refused, not ignored. */
export const ApplicationSchema = Type.Object(
  {
    apiVersion: Type.Literal('gitops.platform/v1'),
    kind: Type.Literal('Application'),
    metadata: Type.Object({ name: AppName }, closed),
    spec: Type.Object(
      {
        source: Type.Object(
          { repoURL: NonEmpty, branches: Type.Optional(Type.Array(NonEmpty, { minItems: 1 })) },
          closed,
        ),
        webhook: Type.Optional(
          Type.Object({ secretEnv: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }) }, closed),
        ),
        build: Type.Optional(
          Type.Object(
            {
              context: Type.Optional(NonEmpty),
              dockerfile: Type.Optional(NonEmpty),
              driver: Type.Optional(
                Type.Union([Type.Literal('auto'), Type.Literal('native'), Type.Literal('buildah')]),
              ),
              env: Type.Optional(
                Type.Record(EnvName, Type.Union([Type.String(), Type.Number(), Type.Boolean()]), closed),
              ),
              secrets: Type.Optional(Type.Array(BuildSecretSource)),
              network: Type.Optional(Type.Union([Type.Literal('none'), Type.Literal('egress')])),
            },
            closed,
          ),
        ),
        image: Type.Object(
          { repository: Type.String({ pattern: '^[a-z0-9.:-]+(/[a-z0-9._-]+)+$' }) },
          closed,
        ),
        config: Type.Object(
          {
            repoURL: NonEmpty,
            branch: Type.Optional(NonEmpty),
            path: Type.Optional(NonEmpty),
            environments: Type.Optional(Type.Array(EnvironmentSchema, { minItems: 1 })),
            helm: Type.Optional(HelmSchema),
          },
          closed,
        ),
        destination: Destination,
        syncPolicy: Type.Optional(
          Type.Object(
            {
              prune: Type.Optional(Type.Boolean()),
              selfHeal: Type.Optional(Type.Boolean()),
              autoRollback: Type.Optional(Type.Boolean()),
              forceConflicts: Type.Optional(Type.Boolean()),
            },
            closed,
          ),
        ),
        ignoreDifferences: Type.Optional(Type.Array(IgnoreDifference)),
      },
      closed,
    ),
  },
  closed,
);

export type ApplicationDocument = Static<typeof ApplicationSchema>;

/** `spec.build.secrets[]`: the variable a step sees, and where the builder reads its value. */
export type BuildSecret = { name: string; fromEnv: string } | { name: string; fromFile: string };

/** What build steps may reach: `none` is loopback only, `egress` the outside through user-mode networking. */
export type BuildNetwork = 'none' | 'egress';

/** An application with every default applied and its repository identities precomputed. */
export interface Application {
  name: string;
  source: { repoURL: string; repoKey: string; branches: string[] };
  webhook: { secretEnv?: string };
  /**
   * `auto`: the native driver when the Dockerfile has no RUN, else buildah. `env` and `secrets` reach
   * the build steps (docs/applications.md); `network` is what steps and RUN lines may reach.
   */
  build: {
    context: string;
    dockerfile: string;
    driver: 'auto' | 'native' | 'buildah';
    env: Record<string, string>;
    secrets: BuildSecret[];
    network: BuildNetwork;
  };
  image: { repository: string };
  /**
   * `branch` and `path` are those of the first environment. `environments` is never empty: the
   * shorthand `path` is one environment named after its last segment (`envs/dev` -> `dev`).
   */
  config: {
    repoURL: string;
    repoKey: string;
    branch: string;
    path: string;
    environments: Environment[];
    helm: { valuesFile: string; imageKey: string };
  };
  destination: Destination;
  syncPolicy: { prune: boolean; selfHeal: boolean; autoRollback: boolean; forceConflicts: boolean };
  ignoreDifferences: IgnoreDifference[];
}

export interface Destination {
  namespace: string;
  /** Whether the application may own cluster-scoped objects (Namespaces, CRDs, ClusterRoles, …). */
  clusterResources: boolean;
}

/**
 * One environment of an application, in promotion order. The first has `promotion: 'none'`: every
 * pipeline updates it. Later ones are reached from the previous one, automatically or by approval.
 */
export interface Environment {
  name: string;
  path: string;
  branch: string;
  promotion: 'none' | 'auto' | 'approval';
  destination: Destination;
}

export interface IgnoreDifference {
  group?: string;
  kind: string;
  name?: string;
  namespace?: string;
  jsonPointers: string[];
}
