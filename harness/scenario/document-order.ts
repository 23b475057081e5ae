/**
 * Sorts problems in the order their paths appear in the file, so the lines read top to bottom. The
 * data has passed plain-data.ts (no cycles, bounded depth and size): the walk is recursive.
 */
import { formatPath, type Problem } from './problems.ts';

export function inDocumentOrder(problems: readonly Problem[], raw: unknown): string[] {
  const order = new Map<string, number>();
  const visit = (value: unknown, path: PropertyKey[]): void => {
    order.set(formatPath(path), order.size);
    if (Array.isArray(value)) value.forEach((item: unknown, i) => visit(item, [...path, i]));
    else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) visit(item, [...path, key]);
  };
  visit(raw, []);
  const position = (path: readonly PropertyKey[]): number => {
    // A missing key sorts with its parent: the longest prefix that the file has.
    for (let length = path.length; length >= 0; length--) {
      const found = order.get(formatPath(path.slice(0, length)));
      if (found !== undefined) return found;
    }
    return 0;
  };
  const placed = problems.map((p, i) => ({ line: p.line, at: position(p.path), i }));
  placed.sort((a, b) => a.at - b.at || a.i - b.i);
  return [...new Set(placed.map((p) => p.line))];
}
