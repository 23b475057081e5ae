/**
 * One line per problem, always `<path>: <value> is not allowed; expected <what is allowed>`, the
 * shape InputError uses, so a scenario's errors read like every other input error of the harness.
 */
import { formatValue } from '../core/errors.ts';

export type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const MAX_VALUE_CHARS = 60;

/** `faults[2].target`, `load.env.BASE_URL`, `thresholds["*"][0].max`; the root is `scenario`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out === '' ? 'scenario' : out;
}

/** The value as the user wrote it, cut short when long (a whole mapping would drown the line). */
export function describeValue(value: unknown): string {
  const text = formatValue(value).replace(/\s+/g, ' ');
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

/** One problem: its line, and the path it is about (to sort the lines in the file's order). */
export interface Problem {
  path: readonly PropertyKey[];
  line: string;
}

export function problem(path: readonly PropertyKey[], value: unknown, expected: string): Problem {
  return { path, line: `${formatPath(path)}: ${describeValue(value)} is not allowed; expected ${expected}` };
}

/** "a", "b" or "c" — how the lines list choices. */
export function orList(items: readonly string[], conjunction = 'or'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1] ?? ''}`;
}

export const quoted = (items: readonly string[]): string[] => items.map((item) => JSON.stringify(item));

/** The value at `path` inside the raw input, for the line's `<value>` part. */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}
