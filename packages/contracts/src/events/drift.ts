import { Type } from '@sinclair/typebox';
import { Sha } from '../common.js';

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
export const DriftData = Type.Object(
  {
    pipelineId: Type.String({ minLength: 1 }),
    app: Type.String(),
    commit: Type.Optional(Sha),
    configCommit: Type.Optional(Sha),
    environment: Type.String(),
    ...driftFields,
  },
  { additionalProperties: true },
);
