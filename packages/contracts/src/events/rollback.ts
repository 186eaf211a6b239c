import { Type } from '@sinclair/typebox';
import { Sha } from '../common.js';

/** A revert commit written to the config repository; the image it moved away from is quarantined. */
export const RollbackCompleted = Type.Object(
  {
    pipelineId: Type.String({ minLength: 1, maxLength: 128 }),
    app: Type.String(),
    commit: Type.Optional(Sha),
    environment: Type.String(),
    /** The config commit that was live, and the one whose content the revert restores. */
    from: Sha,
    to: Sha,
    /** The revert commit itself. */
    configCommit: Sha,
    image: Type.String({ description: 'repo@digest: the quarantined image' }),
    by: Type.String({ description: 'the API token name, or `reconciler` for an automatic rollback' }),
    reason: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);
