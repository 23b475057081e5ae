/**
 * The guard before anything walks a scenario's data (the schema, the rules, the messages): a tree
 * of bounded depth and size. YAML aliases make data share parts, so its size counts a shared part
 * each time it is reached, as every later walk would (an alias bomb is small as a file, huge as
 * data); a part that contains itself (from a caller that built it, not from a file: the reader
 * refuses those aliases) would make every walk recurse forever.
 */
import { MAX_DEPTH, MAX_VALUES } from './input-limits.ts';
import { problemFound, type Problem } from './problems.ts';

const CYCLE_EXPECTED = 'plain data without cycles';

/** The first reason the data cannot be walked, or undefined. Iterative: it must not overflow the stack itself. */
export function plainDataProblem(raw: unknown): Problem | undefined {
  type Frame = { value: unknown; path: PropertyKey[]; leave?: object };
  const stack: Frame[] = [{ value: raw, path: [] }];
  const open = new Set<object>();
  let values = 0;
  while (stack.length > 0) {
    const frame = stack.pop();
    if (frame === undefined) break;
    if (frame.leave !== undefined) {
      open.delete(frame.leave);
      continue;
    }
    const { value, path } = frame;
    values++;
    if (values > MAX_VALUES) {
      const count = MAX_VALUES.toLocaleString('en-US');
      return problemFound([], `more than ${count} values (aliases counted each time they are used)`, `at most ${count} (a scenario has a few hundred)`);
    }
    if (value === null || typeof value !== 'object') continue;
    const kind = Array.isArray(value) ? 'list' : 'mapping';
    if (open.has(value)) return problemFound(path, `a ${kind} that contains itself`, CYCLE_EXPECTED);
    // Levels of lists and mappings, as yaml-size.ts counts them: the root is level 1.
    if (path.length + 1 > MAX_DEPTH) return problemFound(path, `nesting deeper than ${MAX_DEPTH} levels`, `at most ${MAX_DEPTH} levels (a scenario has 5)`);
    open.add(value);
    stack.push({ value: undefined, path, leave: value });
    const entries: [PropertyKey, unknown][] = Array.isArray(value) ? value.map((item: unknown, i) => [i, item]) : Object.entries(value);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, item] = entries[i] ?? [];
      if (key !== undefined) stack.push({ value: item, path: [...path, key] });
    }
  }
  return undefined;
}
