import { FormatRegistry, type TSchema } from '@sinclair/typebox';
import { type TypeCheck, TypeCompiler } from '@sinclair/typebox/compiler';

// TypeBox ships no string formats; these are the ones the contracts use.
if (!FormatRegistry.Has('date-time')) {
  FormatRegistry.Set(
    'date-time',
    (v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v) && !Number.isNaN(Date.parse(v)),
  );
}

/** Input that does not match its contract. Never worth a retry: the same bytes fail the same way. */
export class ContractViolation extends Error {
  override name = 'ContractViolation';
  readonly code = 'GITOPS_CONTRACT_INVALID';
  constructor(
    readonly what: string,
    readonly issues: string[],
  ) {
    super(`${what} is invalid: ${issues.join('; ')}`);
  }
}

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();

function checkerFor(schema: TSchema): TypeCheck<TSchema> {
  let checker = compiled.get(schema);
  if (!checker) {
    checker = TypeCompiler.Compile(schema);
    compiled.set(schema, checker);
  }
  return checker;
}

/** Every problem of `value` against `schema`, as `path: message` lines (at most 20). */
export function validationIssues(schema: TSchema, value: unknown): string[] {
  const checker = checkerFor(schema);
  if (checker.Check(value)) return [];
  const issues: string[] = [];
  for (const error of checker.Errors(value)) {
    issues.push(`${error.path || '/'}: ${error.message}`);
    if (issues.length === 20) break;
  }
  return issues;
}

export function assertValid<T extends TSchema>(schema: T, value: unknown, what: string): void {
  const issues = validationIssues(schema, value);
  if (issues.length > 0) throw new ContractViolation(what, issues);
}
