import { Type } from '@sinclair/typebox';
import { Digest, Person, Sha, Timestamp, eventData } from './common.js';

export const SourceReceived = eventData({
  provider: Type.Union([
    Type.Literal('github'),
    Type.Literal('gitlab'),
    Type.Literal('gitea'),
    Type.Literal('bitbucket'),
    Type.Literal('generic'),
  ]),
  deliveryId: Type.String({ minLength: 1 }),
  repoURL: Type.String({ minLength: 1 }),
  ref: Type.String({ pattern: '^refs/' }),
  branch: Type.String({ minLength: 1 }),
  before: Type.String(),
  after: Sha,
  pusher: Person,
  headCommit: Type.Object({
    sha: Sha,
    message: Type.String(),
    author: Person,
    timestamp: Type.Optional(Timestamp),
  }),
});

const Step = Type.Object({
  name: Type.String(),
  status: Type.Union([Type.Literal('succeeded'), Type.Literal('failed'), Type.Literal('skipped')]),
  durationMs: Type.Number({ minimum: 0 }),
  exitCode: Type.Optional(Type.Integer()),
});
const Coverage = Type.Object({
  lines: Type.Optional(Type.Number()),
  branches: Type.Optional(Type.Number()),
  functions: Type.Optional(Type.Number()),
  statements: Type.Optional(Type.Number()),
});
const StageError = Type.Object({ message: Type.String(), step: Type.Optional(Type.String()) });

export const BuildStarted = eventData({ logRef: Type.Optional(Type.String()) });
export const BuildSucceeded = eventData({
  durationMs: Type.Number({ minimum: 0 }),
  steps: Type.Array(Step),
  coverage: Type.Optional(Coverage),
  image: Type.Object({ digest: Digest, size: Type.Integer({ minimum: 0 }) }),
  logRef: Type.Optional(Type.String()),
});
export const BuildFailed = eventData({
  durationMs: Type.Number({ minimum: 0 }),
  steps: Type.Array(Step),
  coverage: Type.Optional(Coverage),
  error: StageError,
  reason: Type.Optional(Type.String()),
  logRef: Type.Optional(Type.String()),
});

const imageFields = {
  repository: Type.String(),
  durationMs: Type.Number({ minimum: 0 }),
};
export const ImagePushed = eventData({
  ...imageFields,
  tags: Type.Array(Type.String()),
  digest: Digest,
  bytesUploaded: Type.Integer({ minimum: 0 }),
  bytesSkipped: Type.Integer({ minimum: 0 }),
});
export const ImageFailed = eventData({ ...imageFields, error: StageError });

const configFields = {
  configRepoURL: Type.String(),
  environment: Type.String(),
  path: Type.String(),
  image: Type.String({ description: 'repo@digest' }),
};
export const ConfigUpdated = eventData({ ...configFields, configCommit: Sha });
export const ConfigFailed = eventData({
  ...configFields,
  configCommit: Type.Optional(Sha),
  error: StageError,
});

const Health = Type.Union([
  Type.Literal('Healthy'),
  Type.Literal('Progressing'),
  Type.Literal('Degraded'),
  Type.Literal('Missing'),
]);
const deployFields = {
  configCommit: Sha,
  applied: Type.Array(Type.String()),
  pruned: Type.Array(Type.String()),
  unchanged: Type.Integer({ minimum: 0 }),
  health: Health,
  durationMs: Type.Number({ minimum: 0 }),
};
export const DeployStarted = eventData({ configCommit: Sha });
export const DeploySucceeded = eventData(deployFields);
export const DeployFailed = eventData({ ...deployFields, error: StageError });

const driftFields = {
  resources: Type.Array(
    Type.Object({
      apiVersion: Type.String(),
      kind: Type.String(),
      namespace: Type.Optional(Type.String()),
      name: Type.String(),
      fields: Type.Array(Type.String()),
    }),
  ),
  action: Type.Union([Type.Literal('alerted'), Type.Literal('healed')]),
};
// Drift belongs to an application, not to a push: pipelineId is the reconcile pass, commit is absent.
const DriftData = Type.Object(
  {
    pipelineId: Type.String({ minLength: 1 }),
    app: Type.String(),
    commit: Type.Optional(Sha),
    configCommit: Type.Optional(Sha),
    ...driftFields,
  },
  { additionalProperties: true },
);

/** Every event of the platform, keyed by `<stage>.<event>` as it appears in the subject. */
export const eventCatalog = {
  'source.received': SourceReceived,
  'build.started': BuildStarted,
  'build.succeeded': BuildSucceeded,
  'build.failed': BuildFailed,
  'image.pushed': ImagePushed,
  'image.failed': ImageFailed,
  'config.updated': ConfigUpdated,
  'config.failed': ConfigFailed,
  'deploy.started': DeployStarted,
  'deploy.succeeded': DeploySucceeded,
  'deploy.failed': DeployFailed,
  'drift.detected': DriftData,
  'drift.resolved': DriftData,
} as const;

export type EventName = keyof typeof eventCatalog;
export const eventNames = Object.keys(eventCatalog) as EventName[];
export const isEventName = (name: string): name is EventName => Object.hasOwn(eventCatalog, name);
