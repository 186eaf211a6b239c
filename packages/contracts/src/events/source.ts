import { Type } from '@sinclair/typebox';
import { Person, Sha, Timestamp, eventData } from '../common.js';

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
