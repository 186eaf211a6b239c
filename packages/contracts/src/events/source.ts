import { Type } from '@sinclair/typebox';
import { Person, Sha, Timestamp, eventData } from '../common.js';
import { TEXT_LIMITS } from '../text.js';

export const SourceReceived = eventData({
  provider: Type.Union([
    Type.Literal('github'),
    Type.Literal('gitlab'),
    Type.Literal('gitea'),
    Type.Literal('bitbucket'),
    Type.Literal('generic'),
  ]),
  deliveryId: Type.String({ minLength: 1, maxLength: TEXT_LIMITS.deliveryId }),
  repoURL: Type.String({ minLength: 1, maxLength: TEXT_LIMITS.repoURL }),
  ref: Type.String({ pattern: '^refs/', maxLength: TEXT_LIMITS.ref }),
  branch: Type.String({ minLength: 1, maxLength: TEXT_LIMITS.ref }),
  before: Type.String({ maxLength: TEXT_LIMITS.before }),
  after: Sha,
  pusher: Person,
  headCommit: Type.Object({
    sha: Sha,
    message: Type.String({ maxLength: TEXT_LIMITS.message }),
    author: Person,
    timestamp: Type.Optional(Timestamp),
  }),
});
