import { Type } from '@sinclair/typebox';
import { Sha, StageError, eventData } from '../common.js';

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
