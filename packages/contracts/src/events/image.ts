import { Type } from '@sinclair/typebox';
import { Digest, StageError, eventData } from '../common.js';

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
