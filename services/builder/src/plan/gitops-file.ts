import { env } from '@gitops/config';
import { validationIssues } from '@gitops/contracts';
import { pathProblem } from '@gitops/fs';
import { type Static, Type } from '@sinclair/typebox';
import { parseDocument } from 'yaml';
import { BuildFailure } from '../errors.js';

export const GITOPS_FILE = '.gitops.yaml';

const closed = { additionalProperties: false } as const;
const Duration = Type.String({ pattern: '^[0-9]+(ms|s|m|h)$', description: 'e.g. 90s, 10m, 1h' });
const RepoPath = Type.String({ minLength: 1, description: 'relative to the repository root' });
const EnvMap = Type.Record(
  Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }),
  Type.Union([Type.String(), Type.Number(), Type.Boolean()]),
  closed,
);
/** Names the builder's own steps take in `steps[]` of the events. */
export const RESERVED_STEPS = ['checkout', 'image'] as const;

const Step = Type.Object(
  {
    name: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$' }),
    run: Type.String({ minLength: 1 }),
    env: Type.Optional(EnvMap),
    workdir: Type.Optional(RepoPath),
    timeout: Type.Optional(Duration),
  },
  closed,
);

/** `.gitops.yaml` in the source repository (docs/builder.md). Unknown fields are refused. */
export const GitopsFileSchema = Type.Object(
  {
    version: Type.Optional(Type.Literal(1)),
    env: Type.Optional(EnvMap),
    steps: Type.Optional(Type.Array(Step)),
    reports: Type.Optional(
      Type.Object({ coverage: Type.Optional(RepoPath), junit: Type.Optional(Type.Array(RepoPath)) }, closed),
    ),
    timeout: Type.Optional(Duration),
  },
  closed,
);

export type GitopsFile = Static<typeof GitopsFileSchema>;

/** `90s`, `10m` in milliseconds; the schema has already checked the form. */
export const durationMs = (text: string): number => env.duration(text).parse(text);

const dotted = (path: string) => path.replace(/^\//, '').replaceAll('/', '.') || '(root)';

/** What the schema cannot say: paths that leave the repository, duplicate and reserved step names. */
function semanticIssues(file: GitopsFile): string[] {
  const issues: string[] = [];
  const paths: [string, string | undefined][] = [
    ['reports.coverage', file.reports?.coverage],
    ...(file.reports?.junit ?? []).map((p, i) => [`reports.junit.${i}`, p] as [string, string]),
    ...(file.steps ?? []).map((s, i) => [`steps.${i}.workdir`, s.workdir] as [string, string | undefined]),
  ];
  for (const [where, path] of paths) {
    // Lexical only: symlinks are checked when the path is used, in the checkout (src/safe-path.ts).
    const problem = path === undefined ? undefined : pathProblem(path, 'the repository');
    if (problem) issues.push(`${where}: ${JSON.stringify(path)} ${problem}`);
  }
  const seen = new Set<string>();
  (file.steps ?? []).forEach((step, i) => {
    if ((RESERVED_STEPS as readonly string[]).includes(step.name)) {
      issues.push(`steps.${i}.name: "${step.name}" is reserved for the builder's own step`);
    } else if (seen.has(step.name)) issues.push(`steps.${i}.name: "${step.name}" is used twice`);
    seen.add(step.name);
  });
  return issues;
}

/**
 * Parses `.gitops.yaml`. Every problem is reported at once with its field path, as the
 * application file does: `.gitops.yaml: steps.1.run: Expected string`. An empty file is `{}`.
 */
export function parseGitopsFile(text: string): GitopsFile {
  const document = parseDocument(text);
  const fail = (issues: string[]) =>
    new BuildFailure(`${GITOPS_FILE}: ${issues.join('; ')}`, 'invalid-config');
  if (document.errors.length > 0) {
    throw fail(document.errors.map((e) => `YAML: ${e.message.split('\n')[0]}`));
  }
  const value = document.toJS() ?? {};
  // One problem per field: a missing field is also "not a string", which says nothing more.
  const byField = new Map<string, string>();
  for (const issue of validationIssues(GitopsFileSchema, value)) {
    const [path, ...message] = issue.split(': ');
    const field = dotted(path ?? '');
    if (!byField.has(field)) byField.set(field, `${field}: ${message.join(': ')}`);
  }
  const schemaIssues = [...byField.values()];
  if (schemaIssues.length > 0) throw fail(schemaIssues);
  const issues = semanticIssues(value as GitopsFile);
  if (issues.length > 0) throw fail(issues);
  return value as GitopsFile;
}
