/**
 * Turns zod's issues into the harness's one-line problems. Leaves of the schema carry their own
 * "expected …" phrase (schema-helpers.ts); `expectedPhrase` words what is left in the same terms.
 */
import type * as z from 'zod';
import { didYouMean } from './did-you-mean.ts';
import { describeValue, formatPath, orList, problem, valueAt, type Problem } from './problems.ts';
import { UNKNOWN_KEYS_MARKER } from './schema-helpers.ts';

const TYPE_PHRASES: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'a mapping (key: value)',
  record: 'a mapping (key: value)',
  array: 'a list',
};

/** The per-parse error map: an "expected …" phrase for every issue a leaf did not word itself. */
export function expectedPhrase(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return TYPE_PHRASES[issue.expected] ?? `a ${issue.expected}`;
    case 'too_small':
      return bound('at least', issue.origin, Number(issue.minimum), issue.inclusive !== false);
    case 'too_big':
      return bound('at most', issue.origin, Number(issue.maximum), issue.inclusive !== false);
    case 'invalid_value':
      return `one of ${orList(issue.values.map((v) => JSON.stringify(v)))}`;
    case 'invalid_format':
      return issue.pattern === undefined ? `a valid ${issue.format}` : `a string matching ${issue.pattern}`;
    case 'not_multiple_of':
      return `a multiple of ${issue.divisor}`;
    default:
      return 'a value as documented in harness/scenario/scenario.schema.json';
  }
}

function bound(word: string, origin: string, limit: number, inclusive: boolean): string {
  const edge = inclusive ? limit : word === 'at least' ? limit + 1 : limit - 1;
  if (origin === 'array') return `${word} ${edge} item${edge === 1 ? '' : 's'}`;
  if (origin === 'string') return `${word} ${edge} character${edge === 1 ? '' : 's'}`;
  return `a number ${word === 'at least' ? (inclusive ? '≥' : '>') : inclusive ? '≤' : '<'} ${limit}`;
}

export function issuesToProblems(issues: readonly z.core.$ZodIssue[], raw: unknown): Problem[] {
  const lines: Problem[] = [];
  for (const issue of issues) {
    const path = issue.path;
    if (issue.code === 'unrecognized_keys') {
      const known = issue.message.startsWith(UNKNOWN_KEYS_MARKER) ? issue.message.slice(UNKNOWN_KEYS_MARKER.length).split(',') : [];
      for (const key of issue.keys) lines.push(unknownKey([...path, key], key, known));
      continue;
    }
    if (issue.code === 'invalid_key') {
      const key = path[path.length - 1];
      const expected = issue.issues[0]?.message ?? 'a valid key';
      lines.push({ path, line: `${formatPath(path)}: key ${describeValue(String(key))} is not allowed; expected ${expected}` });
      continue;
    }
    const value = valueAt(raw, path);
    if (issue.code === 'invalid_union') {
      // A mapping where a name or a mapping is allowed (a variant in architectures): say what is wrong
      // inside it, field by field, rather than that it matches neither.
      const inside = mappingBranch(issue, value);
      if (inside !== undefined) {
        lines.push(...issuesToProblems(inside.map((nested) => ({ ...nested, path: [...path, ...nested.path] })), raw));
        continue;
      }
    }
    const missing = value === undefined && !issue.message.includes('required');
    lines.push(problem(path, value, missing ? `${issue.message} (required)` : issue.message));
  }
  return lines;
}

/** The issues of the union's branch that took a mapping apart (every issue below its root), if any. */
function mappingBranch(issue: z.core.$ZodIssueInvalidUnion, value: unknown): readonly z.core.$ZodIssue[] | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return issue.errors.find((branch) => branch.length > 0 && branch.every((nested) => nested.path.length > 0));
}

function unknownKey(path: readonly PropertyKey[], key: string, known: readonly string[]): Problem {
  const guess = didYouMean(key, known);
  const hint = guess === undefined ? '' : ` — did you mean ${JSON.stringify(guess)}?`;
  return { path, line: `${formatPath(path)}: unknown key is not allowed; expected one of ${known.join(', ')}${hint}` };
}
