import { badRequest } from './status.js';
import type { KubeObject } from './types.js';

// Label selectors (`a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`) and field selectors
// (`metadata.name`, `metadata.namespace`, with = and !=), as the list and watch endpoints accept them.

type Requirement = (labels: Record<string, string>) => boolean;

/** Splits on commas that are not inside a parenthesised value set. */
function terms(selector: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out.map((t) => t.trim()).filter(Boolean);
}

function requirement(term: string): Requirement {
  const set = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
  if (set) {
    const [, key = '', op, values = ''] = set;
    const allowed = values.split(',').map((v) => v.trim());
    return op === 'in'
      ? (labels) => key in labels && allowed.includes(labels[key]!)
      : (labels) => !(key in labels) || !allowed.includes(labels[key]!);
  }
  const compare = /^([^\s!=]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
  if (compare) {
    const [, key = '', op, value = ''] = compare;
    return op === '!=' ? (labels) => labels[key] !== value : (labels) => labels[key] === value;
  }
  if (term.startsWith('!')) {
    const key = term.slice(1).trim();
    return (labels) => !(key in labels);
  }
  if (/^[^\s!=(),]+$/.test(term)) return (labels) => term in labels;
  throw badRequest(`unable to parse requirement: ${term}`);
}

export function labelMatcher(selector: string | undefined): (obj: KubeObject) => boolean {
  if (!selector) return () => true;
  const requirements = terms(selector).map(requirement);
  return (obj) => requirements.every((r) => r(obj.metadata.labels ?? {}));
}

const FIELDS: Record<string, (obj: KubeObject) => string> = {
  'metadata.name': (obj) => obj.metadata.name,
  'metadata.namespace': (obj) => obj.metadata.namespace ?? '',
};

export function fieldMatcher(selector: string | undefined): (obj: KubeObject) => boolean {
  if (!selector) return () => true;
  const checks = terms(selector).map((term) => {
    const match = /^([^!=]+?)\s*(==|=|!=)\s*(.*)$/.exec(term);
    const read = match ? FIELDS[match[1]!] : undefined;
    if (!match || !read) throw badRequest(`field label not supported: ${term}`);
    const [, , op, value] = match;
    return (obj: KubeObject) => (read(obj) === value) === (op !== '!=');
  });
  return (obj) => checks.every((check) => check(obj));
}
