/**
 * What a composed YAML document may not contain before it becomes plain data, each with its line:
 * an alias of no anchor and a merge of something other than mappings (the YAML library throws on
 * those, with neither file nor line), an alias inside the node it names (data that contains itself:
 * every walk over it would recurse forever), and a list or mapping as a key (which the library
 * stringifies with a warning of its own on stderr). yaml-size.ts has bounded the depth, so the
 * recursive visit is safe.
 */
import { type Document, isAlias, isCollection, isMap, isNode, isScalar, isSeq, type LineCounter, type Node, visit } from 'yaml';
import { cut } from './problems.ts';

const MERGE_EXPECTED = 'a mapping, an alias of one, or a list of them (a merge key copies mappings)';
const NAME_CHARS = 60;

export function yamlReferenceProblems(doc: Document, text: string, lines: LineCounter, shown: string): string[] {
  const problems: string[] = [];
  const at = (node: Node): string => {
    const { line, col } = lines.linePos(node.range?.[0] ?? 0);
    return `${shown}:${line}:${col}`;
  };
  // What each anchor names so far, in the file's order: an alias names the latest anchor before it,
  // as the library resolves it (Alias.resolve searches the whole document per alias: quadratic).
  const anchors = new Map<string, Node>();
  const resolve = (node: unknown): unknown => (isAlias(node) ? anchors.get(node.source) : node);

  visit(doc, {
    Node(_key, node, path) {
      if (isAlias(node)) {
        const name = cut(node.source, NAME_CHARS);
        const target = anchors.get(node.source);
        if (target === undefined) {
          problems.push(`${at(node)}: alias *${name} is not allowed; expected an alias of an anchor set before it (&${name})`);
        } else if ((path as readonly unknown[]).includes(target)) {
          problems.push(`${at(node)}: alias *${name} is not allowed; expected an alias outside the node it names (&${name} contains it)`);
        }
      } else if (node.anchor !== undefined) {
        anchors.set(node.anchor, node);
      }
    },
    Pair(_key, pair) {
      const named = resolve(pair.key);
      if (isNode(pair.key) && isCollection(named)) {
        problems.push(`${at(pair.key)}: ${isAlias(pair.key) ? 'an alias of ' : ''}a ${isSeq(named) ? 'list' : 'mapping'} as a key is not allowed; expected a name`);
      }
      // The library composes `<<` (plain, with merge keys on) into a scalar whose value is a symbol.
      if (isScalar(pair.key) && typeof pair.key.value === 'symbol') {
        const value = pair.value;
        const mergeable = (node: unknown): boolean => isMap(resolve(node));
        if (!(mergeable(value) || (isSeq(value) && value.items.every(mergeable)))) {
          const range = isNode(value) ? value.range : undefined;
          const written = range === undefined || range === null ? '' : text.slice(range[0], range[1]).trim().replace(/\s+/g, ' ');
          problems.push(`${at(isNode(value) ? value : pair.key)}: ${written === '' ? 'nothing' : cut(written, NAME_CHARS)} after "<<" is not allowed; expected ${MERGE_EXPECTED}`);
        }
      }
    },
  });
  return problems;
}
