import { Type } from '@sinclair/typebox';
import { Person, Sha, StageError, Timestamp, eventData } from '../common.js';
import { TEXT_LIMITS } from '../text.js';

const configFields = {
  configRepoURL: Type.String(),
  environment: Type.String(),
  path: Type.String(),
  image: Type.String({ description: 'repo@digest' }),
};
export const ConfigUpdated = eventData({
  ...configFields,
  configCommit: Sha,
  /** Every pipeline whose bump this commit carries, when queued bumps were batched into one commit. */
  batch: Type.Optional(Type.Array(Type.String())),
  /** Set when the commit is a promotion from the previous environment. */
  promotedFrom: Type.Optional(Type.String()),
  /** From the bump's arrival at the config updater to its commit pushed. */
  durationMs: Type.Optional(Type.Number({ minimum: 0 })),
});
export const ConfigFailed = eventData({
  ...configFields,
  configCommit: Type.Optional(Sha),
  error: StageError,
});

/**
 * A push to an application's config repository that no platform service made (a person's commit):
 * it starts a sync with no build. `commit` is absent: no source commit applies.
 */
export const ConfigPushed = Type.Object(
  {
    pipelineId: Type.String({ minLength: 1, maxLength: 128 }),
    app: Type.String(),
    commit: Type.Optional(Sha),
    provider: Type.String(),
    deliveryId: Type.String({ minLength: 1, maxLength: TEXT_LIMITS.deliveryId }),
    configRepoURL: Type.String({ minLength: 1, maxLength: TEXT_LIMITS.repoURL }),
    ref: Type.String({ pattern: '^refs/', maxLength: TEXT_LIMITS.ref }),
    branch: Type.String({ minLength: 1, maxLength: TEXT_LIMITS.ref }),
    before: Type.String({ maxLength: TEXT_LIMITS.before }),
    configCommit: Sha,
    /** The application's environments that live on `branch`. */
    environments: Type.Array(Type.String()),
    pusher: Person,
    headCommit: Type.Optional(
      Type.Object({
        sha: Sha,
        message: Type.String({ maxLength: TEXT_LIMITS.message }),
        author: Person,
        timestamp: Type.Optional(Timestamp),
      }),
    ),
  },
  { additionalProperties: true },
);
