/**
 * One line per problem, always `<path>: <value> is not allowed; expected <what is allowed>`, the
 * shape InputError uses, so a scenario's errors read like every other input error of the harness.
 */
import { formatValue } from '../core/errors.ts';

export type PathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const MAX_VALUE_CHARS = 60;

/**
 * `faults[2].target`, `load.env.BASE_URL`, `thresholds["*"][0].max`; the root is `scenario`. A long
 * key is cut like a value: a 1 MB key would otherwise be the whole line.
 */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && segment.length <= MAX_VALUE_CHARS && IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(cut(String(segment), MAX_VALUE_CHARS))}]`;
  }
  return out === '' ? 'scenario' : out;
}

/** The value as the user wrote it, cut short when long (a whole mapping would drown the line). */
export function describeValue(value: unknown): string {
  return cut(formatValue(value).replace(/\s+/g, ' '), MAX_VALUE_CHARS);
}

/**
 * The text cut to `max` characters, the last one "…" when cut. Counts code points, so that an
 * emoji is neither split in half nor counted twice.
 */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const points: string[] = [];
  for (const point of text) {
    if (points.length === max) return `${points.slice(0, max - 1).join('')}…`;
    points.push(point);
  }
  return text;
}

/** One problem: its line, and the path it is about (to sort the lines in the file's order). */
export interface Problem {
  path: readonly PropertyKey[];
  line: string;
}

export function problem(path: readonly PropertyKey[], value: unknown, expected: string): Problem {
  return problemFound(path, describeValue(value), expected);
}

/** A problem whose `<value>` part is a description ("a list that contains itself") rather than the value. */
export function problemFound(path: readonly PropertyKey[], found: string, expected: string): Problem {
  return { path, line: `${formatPath(path)}: ${found} is not allowed; expected ${expected}` };
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
