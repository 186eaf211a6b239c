import { Type } from '@sinclair/typebox';
import { Sha, StageError } from '../common.js';

export const Health = Type.Union([
  Type.Literal('Healthy'),
  Type.Literal('Progressing'),
  Type.Literal('Degraded'),
  Type.Literal('Missing'),
  Type.Literal('Unknown'),
]);

/**
 * `commit` is the source commit when the sync follows a pipeline (`config.updated`), absent for a
 * person's push to the config repo or a periodic resync, whose `pipelineId` is the sync's own.
 */
const deployBase = {
  pipelineId: Type.String({ minLength: 1, maxLength: 128 }),
  app: Type.String(),
  commit: Type.Optional(Sha),
  environment: Type.String(),
  configCommit: Sha,
  /** What started the sync: `config.updated`, `config.pushed`, `resync`, `api`, `drift`, `rollback`. */
  trigger: Type.Optional(Type.String()),
  /** `repo@digest` of the application's image in the applied manifests, where one was found. */
  image: Type.Optional(Type.String()),
};
const deployFields = {
  ...deployBase,
  applied: Type.Array(Type.String()),
  pruned: Type.Array(Type.String()),
  unchanged: Type.Integer({ minimum: 0 }),
  health: Health,
  durationMs: Type.Number({ minimum: 0 }),
};
const open = { additionalProperties: true } as const;
export const DeployStarted = Type.Object(deployBase, open);
export const DeploySucceeded = Type.Object(deployFields, open);
export const DeployFailed = Type.Object({ ...deployFields, error: StageError }, open);
