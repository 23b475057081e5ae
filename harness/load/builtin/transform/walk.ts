/**
 * A generic ESTree walker over acorn's AST: visits every child node in source order, with the
 * parent and the key under which the child hangs (that key tells a reference from a property name).
 */
import type { AnyNode } from 'acorn';

export type { AnyNode };

function isNode(value: unknown): value is AnyNode {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** The child nodes of a node, in source order, with the key under which each hangs. */
export function childrenOf(node: AnyNode): Array<{ key: string; child: AnyNode }> {
  const out: Array<{ key: string; child: AnyNode }> = [];
  for (const key of Object.keys(node)) {
    if (key === 'loc' || key === 'range') continue;
    const value = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) out.push({ key, child: item });
    } else if (isNode(value)) {
      out.push({ key, child: value });
    }
  }
  out.sort((a, b) => a.child.start - b.child.start);
  return out;
}

export interface Visit {
  node: AnyNode;
  parent: AnyNode | null;
  key: string;
}

/** Pre-order walk; `enter` returning false skips the node's children. */
export function walk(root: AnyNode, enter: (visit: Visit) => boolean | void): void {
  const stack: Visit[] = [{ node: root, parent: null, key: '' }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    if (enter(visit) === false) continue;
    const kids = childrenOf(visit.node);
    for (let i = kids.length - 1; i >= 0; i--) {
      const k = kids[i]!;
      stack.push({ node: k.child, parent: visit.node, key: k.key });
    }
  }
}

export function isFunctionNode(
  node: AnyNode,
): node is Extract<AnyNode, { type: 'FunctionDeclaration' | 'FunctionExpression' | 'ArrowFunctionExpression' }> {
  return node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression';
}
