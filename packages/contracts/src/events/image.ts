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
  /** The application's build counter, allocated once per pipeline: the last part of the version tag. */
  buildNumber: Type.Optional(Type.Integer({ minimum: 1 })),
  /** The SLSA provenance attached to the image (tag-schema fallback `sha256-<hex>.att`). */
  provenance: Type.Optional(Type.Object({ tag: Type.String(), digest: Digest, signed: Type.Boolean() })),
});
export const ImageFailed = eventData({ ...imageFields, error: StageError });
