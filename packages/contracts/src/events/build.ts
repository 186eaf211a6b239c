import { Type } from '@sinclair/typebox';
import { Digest, StageError, eventData } from '../common.js';

const Step = Type.Object({
  name: Type.String(),
  status: Type.Union([Type.Literal('succeeded'), Type.Literal('failed'), Type.Literal('skipped')]),
  durationMs: Type.Number({ minimum: 0 }),
  exitCode: Type.Optional(Type.Integer()),
});
const Coverage = Type.Object({
  lines: Type.Optional(Type.Number()),
  branches: Type.Optional(Type.Number()),
  functions: Type.Optional(Type.Number()),
  statements: Type.Optional(Type.Number()),
});

/** Test counts from the JUnit reports the steps wrote, when they wrote any. */
const Tests = Type.Object({
  total: Type.Integer({ minimum: 0 }),
  failed: Type.Integer({ minimum: 0 }),
  skipped: Type.Integer({ minimum: 0 }),
});

/** Where the pushed commit came from, so later stages (image tags, audit) never look it up again. */
const BuildSource = Type.Object({ repoURL: Type.String(), ref: Type.String(), branch: Type.String() });

export const BuildStarted = eventData({
  source: Type.Optional(BuildSource),
  logRef: Type.Optional(Type.String()),
});

/** What every finished build reports, whatever its outcome. */
const resultFields = {
  durationMs: Type.Number({ minimum: 0 }),
  steps: Type.Array(Step),
  coverage: Type.Optional(Coverage),
  tests: Type.Optional(Tests),
  logRef: Type.Optional(Type.String()),
};

export const BuildSucceeded = eventData({
  ...resultFields,
  image: Type.Object({
    digest: Digest,
    size: Type.Integer({ minimum: 0 }),
    /** The OCI image layout the pusher reads, relative to GITOPS_DATA_DIR (a shared volume in a cluster). */
    layout: Type.String({ minLength: 1 }),
    /** The base images the build started from, for provenance. */
    baseImages: Type.Optional(Type.Array(Type.Object({ name: Type.String(), digest: Digest }))),
  }),
  source: BuildSource,
});
export const BuildFailed = eventData({
  ...resultFields,
  error: StageError,
  reason: Type.Optional(Type.String()),
  source: Type.Optional(BuildSource),
});
