/**
 * Decides, for every call in a module, how the async transform treats it:
 * - 'await': the call may reach a blocking k6 API (directly or through a user function, all of
 *   which become async), so its result is awaited;
 * - 'cb': a built-in that calls a function argument synchronously (Array.prototype.map, sort,
 *   String.prototype.replace, …) — it goes through a runtime helper that awaits each callback;
 * - 'none': a call that is known to be synchronous (Math.max, JSON.parse, console.log, Promise
 *   chaining, or a function the script itself declared `async`, whose promise must stay a promise).
 */
import type { AnyNode } from './walk.ts';
import type { Binding } from './scope.ts';

export type CallKind = 'await' | 'cb' | 'none';

/** Built-in methods that invoke a callback argument synchronously. */
export const CALLBACK_METHODS = new Set([
  'map', 'forEach', 'filter', 'reduce', 'reduceRight', 'find', 'findIndex', 'findLast', 'findLastIndex',
  'some', 'every', 'sort', 'toSorted', 'flatMap', 'replace', 'replaceAll',
]);

const SYNC_GLOBAL_FUNCTIONS = new Set([
  'parseInt', 'parseFloat', 'isNaN', 'isFinite', 'encodeURIComponent', 'decodeURIComponent', 'encodeURI',
  'decodeURI', 'String', 'Number', 'Boolean', 'Symbol', 'BigInt', 'Date', 'RegExp', 'Error', 'TypeError',
  'RangeError', 'escape', 'unescape', 'structuredClone',
]);
const SYNC_GLOBAL_OBJECTS = new Set(['Math', 'JSON', 'Object', 'Array', 'Number', 'String', 'Date', 'Reflect', 'console', 'Symbol', 'Promise', 'BigInt']);
const PROMISE_METHODS = new Set(['then', 'catch', 'finally']);

/** The static name of a callee: `f` for `f()`, `m` for `x.m()` / `x['m']()`. */
export function calleeName(callee: AnyNode): string | undefined {
  if (callee.type === 'Identifier') return callee.name;
  if (callee.type === 'MemberExpression') {
    if (!callee.computed && callee.property.type === 'Identifier') return callee.property.name;
    if (callee.computed && callee.property.type === 'Literal' && typeof callee.property.value === 'string') return callee.property.value;
  }
  return undefined;
}

function mayBeFunction(arg: AnyNode): boolean {
  switch (arg.type) {
    case 'Literal':
    case 'TemplateLiteral':
    case 'ObjectExpression':
    case 'ArrayExpression':
    case 'BinaryExpression':
    case 'UnaryExpression':
    case 'UpdateExpression':
    case 'ClassExpression':
      return false;
    default:
      return true;
  }
}

export interface ClassifyContext {
  resolve(id: AnyNode): Binding | undefined;
  isReference(id: AnyNode): boolean;
  /** Names of functions and methods the script declared `async` itself (across all its modules). */
  nativeAsyncNames: ReadonlySet<string>;
}

export function classifyCall(call: Extract<AnyNode, { type: 'CallExpression' }>, ctx: ClassifyContext): CallKind {
  const callee = call.callee;
  if (callee.type === 'Super') return 'none';
  const name = calleeName(callee);
  if (name !== undefined && ctx.nativeAsyncNames.has(name)) return 'none';
  if (callee.type === 'MemberExpression' && name !== undefined && PROMISE_METHODS.has(name)) return 'none';
  if (callee.type === 'Identifier' && ctx.isReference(callee) && ctx.resolve(callee) === undefined && SYNC_GLOBAL_FUNCTIONS.has(callee.name)) {
    return 'none';
  }
  if (callee.type === 'MemberExpression' && callee.object.type === 'Identifier' && ctx.resolve(callee.object) === undefined) {
    const objectName = callee.object.name;
    if (SYNC_GLOBAL_OBJECTS.has(objectName)) {
      const takesCallback = (objectName === 'JSON' || (objectName === 'Array' && name === 'from')) && call.arguments.length >= 2;
      return takesCallback ? 'cb' : 'none';
    }
  }
  if (callee.type === 'MemberExpression' && name !== undefined && CALLBACK_METHODS.has(name) && call.arguments.some(mayBeFunction)) {
    return 'cb';
  }
  return 'await';
}

/** Names of functions the script itself declared async: their calls keep returning promises. */
export function collectNativeAsyncNames(program: AnyNode, into: Set<string>): void {
  const visit = (node: AnyNode): void => {
    switch (node.type) {
      case 'FunctionDeclaration':
        if (node.async && node.id) into.add(node.id.name);
        break;
      case 'VariableDeclarator':
        if (node.id.type === 'Identifier' && node.init && (node.init.type === 'FunctionExpression' || node.init.type === 'ArrowFunctionExpression') && node.init.async) {
          into.add(node.id.name);
        }
        break;
      case 'Property':
      case 'MethodDefinition':
      case 'PropertyDefinition': {
        const value = node.value;
        if (value && (value.type === 'FunctionExpression' || value.type === 'ArrowFunctionExpression') && value.async) {
          const key = node.key;
          if (key.type === 'Identifier' && !node.computed) into.add(key.name);
          if (key.type === 'Literal' && typeof key.value === 'string') into.add(key.value);
        }
        break;
      }
      default:
        break;
    }
    for (const key of Object.keys(node)) {
      const value = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(value)) {
        for (const item of value) if (item && typeof item === 'object' && 'type' in item) visit(item as AnyNode);
      } else if (value && typeof value === 'object' && 'type' in value && key !== 'loc') {
        visit(value as AnyNode);
      }
    }
  };
  visit(program);
}
