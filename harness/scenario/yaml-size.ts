/**
 * How deep and how big a YAML text is, measured on the YAML parser's tokens (which it builds
 * without recursion, in linear time) before the document is composed: composing recurses once per
 * level and compares a mapping's keys pairwise, so a deep or wide text would overflow the stack or
 * take minutes there. Aliases count once here; what they expand to is plain-data.ts's concern.
 */
import { type CST, LineCounter, Parser } from 'yaml';
import { MAX_DEPTH, MAX_ENTRIES, MAX_VALUES } from './input-limits.ts';

/** The first limit the text exceeds, as a problem line that starts with `file:line:column`; or undefined. */
export function yamlSizeProblem(text: string, shown: string): string | undefined {
  const lines = new LineCounter();
  const stack: { token: CST.Token; depth: number }[] = [];
  for (const token of new Parser(lines.addNewLine).parse(text)) stack.push({ token, depth: 0 });
  stack.reverse();
  const at = (token: CST.Token): string => {
    const { line, col } = lines.linePos(token.offset);
    return `${shown}:${line}:${col}`;
  };
  let values = 0;
  while (stack.length > 0) {
    const next = stack.pop();
    if (next === undefined) break;
    const { token, depth } = next;
    if (token.type === 'document') {
      if (token.value !== undefined) stack.push({ token: token.value, depth });
      continue;
    }
    const collection = token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection';
    const scalar = token.type === 'alias' || token.type === 'scalar' || token.type === 'single-quoted-scalar' || token.type === 'double-quoted-scalar' || token.type === 'block-scalar';
    if (!collection && !scalar) continue;
    values++;
    if (values > MAX_VALUES) return `${at(token)}: more than ${MAX_VALUES.toLocaleString('en-US')} values is not allowed; expected at most ${MAX_VALUES.toLocaleString('en-US')} (a scenario has a few hundred)`;
    if (!collection) continue;
    if (depth + 1 > MAX_DEPTH) return `${at(token)}: nesting deeper than ${MAX_DEPTH} levels is not allowed; expected at most ${MAX_DEPTH} levels (a scenario has 5)`;
    if (token.items.length > MAX_ENTRIES) {
      const kind = token.type === 'block-seq' || (token.type === 'flow-collection' && token.start.source === '[') ? 'list' : 'mapping';
      return `${at(token)}: a ${kind} of ${token.items.length.toLocaleString('en-US')} entries is not allowed; expected at most ${MAX_ENTRIES.toLocaleString('en-US')} entries in one mapping or list`;
    }
    // Pushed in reverse, so that the first problem found is the first in the file.
    for (let i = token.items.length - 1; i >= 0; i--) {
      const item = token.items[i];
      if (item?.value !== undefined) stack.push({ token: item.value, depth: depth + 1 });
      if (item?.key !== undefined && item.key !== null) stack.push({ token: item.key, depth: depth + 1 });
    }
  }
  return undefined;
}
