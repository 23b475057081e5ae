/**
 * Two insertions the async transform makes so that a script's exceptions can be shown as k6 shows
 * them (runtime/exception.ts, runtime/call-depth.ts):
 *
 * - A call-depth guard in every function the transform makes async. Unbounded recursion in an async
 *   function ends with V8's RangeError at the very top of the native stack, where the promise of the
 *   innermost async frame rejects; Node then calls its PromiseRejectCallback with no stack left,
 *   which fails and prints "Exception in PromiseRejectCallback" with V8's raw source excerpt straight
 *   to the process's stderr. The guard counts the VU's nested script calls and, every 64 levels,
 *   awaits once (the chain suspends and continues from the microtask queue on an empty native stack),
 *   so recursion never exhausts the native stack; past a depth limit the runtime throws the
 *   RangeError itself, with stack to spare.
 * - `throw x` becomes `throw __rt.th(x)`: a thrown value that is not an Error (a string, an object)
 *   carries no stack, so the runtime records where it was thrown.
 *
 * Both keep the original text in place; the source map (positions.ts) maps stack positions back.
 */
import type MagicString from 'magic-string';
import type { AnyNode } from './walk.ts';

type Fn = Extract<AnyNode, { type: 'FunctionDeclaration' | 'FunctionExpression' | 'ArrowFunctionExpression' }>;

/** Nesting levels between two awaits that unwind the native stack (runtime/call-depth.ts checks the limit). */
export const DEPTH_HOP = 64;

const ENTER = ` if (++__rt.g.d % ${DEPTH_HOP} === 0) await __rt.deep(); try {`;
const LEAVE = '} finally { __rt.g.d--; } ';

/** Just after the `=>` of an arrow function (skipping the parameters' closing parens and comments). */
function arrowBodyStart(code: string, fn: Fn): number {
  let i = fn.params.length > 0 ? fn.params[fn.params.length - 1]!.end : fn.start;
  while (i < fn.body.start) {
    if (code.startsWith('=>', i)) return i + 2;
    if (code.startsWith('//', i)) i = code.indexOf('\n', i);
    else if (code.startsWith('/*', i)) i = code.indexOf('*/', i) + 2;
    else i++;
    if (i <= 0) break;
  }
  throw new Error(`no "=>" found for the arrow function at offset ${fn.start}`);
}

/**
 * Wraps a function body in the depth guard. Call it for inner functions before outer ones: an
 * arrow's expression body can end where its enclosing body ends, and the inner closer must come first.
 */
export function guardDepth(s: MagicString, code: string, fn: Fn): void {
  const body = fn.body;
  if (body.type === 'BlockStatement') {
    // Left of the first character, before anything else inserted there (a nested async function's
    // `__rt.na(…)` tag must stay inside the try block, where block-scoped declarations live).
    s.prependLeft(body.start + 1, ENTER);
    s.appendLeft(body.end - 1, LEAVE);
    return;
  }
  // An expression body becomes a block; the parentheses keep `return` from ending at a line break.
  s.prependLeft(arrowBodyStart(code, fn), ` {${ENTER} return (`);
  s.appendLeft(fn.end, `); ${LEAVE}}`);
}

/**
 * `throw x` → `throw __rt.th(x)`. The keyword itself is replaced, so the call's position maps to the
 * `throw` (where goja places a thrown value's stack). Call it before guardDepth (their closers can
 * share an offset).
 */
export function captureThrow(s: MagicString, node: Extract<AnyNode, { type: 'ThrowStatement' }>): void {
  s.overwrite(node.start, node.start + 'throw'.length, 'throw __rt.th(', { contentOnly: true });
  s.appendLeft(node.argument.end, ')');
}
