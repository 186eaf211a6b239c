import { Type } from '@sinclair/typebox';
import { Sha, StageError, eventData } from '../common.js';

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
