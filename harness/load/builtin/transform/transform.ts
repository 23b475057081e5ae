/**
 * Turns one ES module of a k6 script into a factory that the engine instantiates once per VU:
 *
 *   (async function (__rt, __ns, __i0, __i1, …) { <module code, made async> })
 *
 * - Module-scope variables become locals of the factory, so every VU gets its own module state.
 * - `import` declarations disappear; references to imported bindings read the namespace objects
 *   passed in (`__i0.default`, `__i1.check`), which keeps ES live-binding semantics.
 * - Exports become getters on `__ns`, defined before the body runs (as hoisted ES exports are).
 * - Every user function that contains a call becomes async, and every call that may reach a
 *   blocking k6 API is awaited, so `http.get(u).status` reads `(await (await http.get(u))).status`.
 *   Functions without calls stay synchronous (no cost, usable as getters and sort comparators).
 * - Built-ins that call a callback synchronously go through `__rt.cb` (see classify.ts).
 * - Constructs that cannot keep k6's synchronous semantics are reported as problems.
 * - Every async-made function gets a call-depth guard, and `throw x` records where a non-Error was
 *   thrown (guards.ts), so a script's exceptions and deep recursion are reported as k6 reports them.
 * Line numbers are preserved (the wrapper and bookkeeping go on line 1); columns shift, and the
 * source map `sourceMap()` maps a stack trace's positions back (positions.ts).
 */
import MagicString from 'magic-string';
import type { AnyNode } from './walk.ts';
import { childrenOf, isFunctionNode } from './walk.ts';
import { analyzeScopes, patternNames, type Binding, type ImportBindingSpec } from './scope.ts';
import { classifyCall, calleeName, type CallKind } from './classify.ts';
import type { Problem } from './problems.ts';
import { captureThrow, guardDepth } from './guards.ts';
import type { Mappings } from './positions.ts';

export interface ImportRequest {
  specifier: string;
  line: number;
}

export interface TransformInput {
  code: string;
  program: AnyNode;
  file: string;
  /** Maps a line of `code` (1-based) to the line in the user's file (differs for TypeScript). */
  mapLine: (line: number, column: number) => number;
  nativeAsyncNames: ReadonlySet<string>;
}

export interface TransformOutput {
  factorySource: string;
  /** The source map from `factorySource` back to `code`, made on first use (only an exception needs it). */
  sourceMap: () => Mappings;
  imports: ImportRequest[];
  problems: Problem[];
}

/** Globals k6 gives every VU; rewritten to the VU's runtime unless the script shadows them. */
const RUNTIME_GLOBALS: Record<string, string> = {
  __VU: '__rt.VU',
  __ITER: '__rt.ITER',
  __ENV: '__rt.ENV',
  open: '__rt.open',
  console: '__rt.console',
};
/** Methods that JavaScript calls implicitly: they cannot return a promise. */
const IMPLICIT_METHODS = new Set(['toString', 'valueOf', 'toJSON', 'Symbol.toPrimitive', 'Symbol.iterator', 'Symbol.asyncIterator', 'then']);
const IDENT_RE = /^[A-Za-z_$][\w$]*$/;

type Fn = Extract<AnyNode, { type: 'FunctionDeclaration' | 'FunctionExpression' | 'ArrowFunctionExpression' }>;
type Owner = Fn | Extract<AnyNode, { type: 'PropertyDefinition' | 'StaticBlock' | 'Program' }>;

function propertyKeyName(key: AnyNode, computed: boolean): string {
  if (!computed && key.type === 'Identifier') return key.name;
  if (key.type === 'PrivateIdentifier') return `#${key.name}`;
  if (key.type === 'Literal') return String(key.value);
  if (computed && key.type === 'MemberExpression' && key.object.type === 'Identifier' && key.property.type === 'Identifier') {
    return `${key.object.name}.${key.property.name}`;
  }
  return '[computed]';
}

function accessor(name: string): string {
  return IDENT_RE.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}

export function transformModule(input: TransformInput): TransformOutput {
  const { code, file } = input;
  const program = input.program as Extract<AnyNode, { type: 'Program' }>;
  const s = new MagicString(code);
  const problems: Problem[] = [];
  const lineOf = (node: AnyNode): number => {
    const loc = node.loc;
    return loc ? input.mapLine(loc.start.line, loc.start.column) : 0;
  };
  const problem = (node: AnyNode, construct: string, reason: string): void => {
    problems.push({ file, line: lineOf(node), construct, reason });
  };
  /** Replaces a range by text, keeping as many line breaks as it had so later lines keep their numbers. */
  const blank = (start: number, end: number, text = ''): void => {
    const newlines = code.slice(start, end).split('\n').length - 1;
    const replacement = text + '\n'.repeat(newlines);
    if (end > start) s.overwrite(start, end, replacement, { contentOnly: true });
  };

  // ---- imports and exports -------------------------------------------------------------------
  const imports: ImportRequest[] = [];
  const importIndex = new Map<string, number>();
  const indexFor = (specifier: string, node: AnyNode): number => {
    let i = importIndex.get(specifier);
    if (i === undefined) {
      i = imports.length;
      importIndex.set(specifier, i);
      imports.push({ specifier, line: lineOf(node) });
    }
    return i;
  };
  const importBindings: ImportBindingSpec[] = [];
  /** exported name -> expression that reads it (evaluated lazily by a getter). */
  const exportGetters: Array<[string, string]> = [];
  const starReexports: number[] = [];
  const localExports: Array<{ exported: string; local: AnyNode }> = [];

  for (const stmt of program.body) {
    if (stmt.type === 'ImportDeclaration') {
      const i = indexFor(String(stmt.source.value), stmt);
      for (const spec of stmt.specifiers) {
        const importName =
          spec.type === 'ImportDefaultSpecifier' ? 'default' : spec.type === 'ImportNamespaceSpecifier' ? '*' : propertyKeyName(spec.imported, false);
        importBindings.push({ local: spec.local.name, importIndex: i, importName });
      }
      blank(stmt.start, stmt.end);
    } else if (stmt.type === 'ExportAllDeclaration') {
      const i = indexFor(String(stmt.source.value), stmt);
      if (stmt.exported) exportGetters.push([propertyKeyName(stmt.exported, false), `__i${i}`]);
      else starReexports.push(i);
      blank(stmt.start, stmt.end);
    } else if (stmt.type === 'ExportNamedDeclaration') {
      if (stmt.source) {
        const i = indexFor(String(stmt.source.value), stmt);
        for (const spec of stmt.specifiers) {
          const local = propertyKeyName(spec.local, false);
          exportGetters.push([propertyKeyName(spec.exported, false), local === '*' ? `__i${i}` : `__i${i}${accessor(local)}`]);
        }
        blank(stmt.start, stmt.end);
      } else if (stmt.declaration) {
        const decl = stmt.declaration;
        if (decl.type === 'VariableDeclaration') {
          for (const d of decl.declarations) for (const id of patternNames(d.id)) if (id.type === 'Identifier') exportGetters.push([id.name, id.name]);
        } else if (decl.id) {
          exportGetters.push([decl.id.name, decl.id.name]);
        }
        blank(stmt.start, decl.start);
      } else {
        for (const spec of stmt.specifiers) localExports.push({ exported: propertyKeyName(spec.exported, false), local: spec.local });
        blank(stmt.start, stmt.end);
      }
    } else if (stmt.type === 'ExportDefaultDeclaration') {
      const decl = stmt.declaration;
      if ((decl.type === 'FunctionDeclaration' || decl.type === 'ClassDeclaration') && decl.id) {
        exportGetters.push(['default', decl.id.name]);
        blank(stmt.start, decl.start);
      } else if (decl.type === 'FunctionDeclaration' || decl.type === 'ClassDeclaration') {
        // An anonymous default declaration is still hoisted: give it a name, as the ES spec does.
        exportGetters.push(['default', '__default']);
        blank(stmt.start, decl.start);
        const keyword = decl.type === 'ClassDeclaration' ? 'class' : 'function';
        const at = code.indexOf(keyword, decl.start) + keyword.length;
        const star = decl.type === 'FunctionDeclaration' && decl.generator ? code.indexOf('*', at) + 1 : at;
        s.appendLeft(star, ' __default');
      } else {
        exportGetters.push(['default', '__default']);
        blank(stmt.start, decl.start, 'const __default = ');
      }
    }
  }

  const scopes = analyzeScopes(program, importBindings);
  const resolve = (id: AnyNode): Binding | undefined => scopes.references.get(id);
  const isReference = (id: AnyNode): boolean => scopes.references.has(id);
  const importRef = (b: Binding): string =>
    b.importName === '*' ? `__i${b.importIndex}` : `__i${b.importIndex}${accessor(b.importName ?? 'default')}`;
  for (const { exported, local } of localExports) {
    const b = local.type === 'Identifier' ? resolve(local) : undefined;
    const name = local.type === 'Identifier' ? local.name : propertyKeyName(local, false);
    exportGetters.push([exported, b && b.kind === 'import' ? importRef(b) : name]);
  }

  // ---- analysis: calls, owners, and which functions must become async -------------------------
  const callKind = new Map<AnyNode, CallKind>();
  const needsAsync = new Set<Owner>();
  const ownerOf = new Map<AnyNode, Owner>();
  const parentOf = new Map<AnyNode, AnyNode>();
  const chainOf = new Map<AnyNode, AnyNode>();
  const statementStarts = new Set<number>();
  const inParams = new Set<AnyNode>();
  const ctx = { resolve, isReference, nativeAsyncNames: input.nativeAsyncNames };

  const visit = (node: AnyNode, parent: AnyNode | null, owner: Owner, chain: AnyNode | null, params: boolean): void => {
    if (parent) parentOf.set(node, parent);
    ownerOf.set(node, owner);
    if (chain) chainOf.set(node, chain);
    // Import/export lists are removed whole; nothing inside them is rewritten.
    if (node.type === 'ImportDeclaration' || node.type === 'ExportAllDeclaration' || (node.type === 'ExportNamedDeclaration' && !node.declaration)) return;
    let childOwner: Owner = owner;
    let childChain = chain;
    switch (node.type) {
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        childOwner = node;
        if (node.generator) {
          const name = node.id ? ` "${node.id.name}"` : '';
          problem(node, `${node.async ? 'async generator function' : 'generator function'}${name}`, 'its body cannot be made to wait for k6 calls while keeping generator semantics');
        }
        for (const p of node.params) visit(p, node, node, null, true);
        visit(node.body, node, node, null, false);
        return;
      case 'PropertyDefinition':
        if (node.computed) visit(node.key, node, owner, null, params);
        if (node.value) visit(node.value, node, node, null, false);
        return;
      case 'StaticBlock':
        childOwner = node;
        break;
      case 'ChainExpression':
        childChain = node;
        break;
      case 'CallExpression': {
        const kind = classifyCall(node, ctx);
        callKind.set(node, kind);
        if (kind !== 'none') {
          needsAsync.add(owner);
          if (params) inParams.add(owner);
        }
        if (node.callee.type === 'Identifier' && isReference(node.callee) && resolve(node.callee) === undefined) {
          if (node.callee.name === 'require') problem(node, 'require()', 'CommonJS modules are not supported; use ES `import`');
          if (node.callee.name === 'eval') problem(node, 'eval()', 'evaluated code would not be transformed to run with k6 semantics');
          if (node.callee.name === 'Function') problem(node, 'Function()', 'code built at run time would not be transformed');
        }
        break;
      }
      case 'TaggedTemplateExpression':
        needsAsync.add(owner);
        if (params) inParams.add(owner);
        break;
      case 'NewExpression':
        if (node.callee.type === 'Identifier' && isReference(node.callee)) {
          const b = resolve(node.callee);
          if (b === undefined && node.callee.name === 'Function') problem(node, 'new Function()', 'code built at run time would not be transformed');
          if (b && b.kind === 'import' && b.importName === 'SharedArray') {
            // SharedArray runs its callback synchronously in k6: the runtime awaits it.
            callKind.set(node, 'await');
            needsAsync.add(owner);
          }
        }
        break;
      case 'ImportExpression':
        problem(node, 'dynamic import()', 'modules are resolved before the run; use a static `import`');
        break;
      case 'ExpressionStatement':
        if (parent && (parent.type === 'Program' || parent.type === 'BlockStatement' || parent.type === 'StaticBlock' || parent.type === 'SwitchCase')) {
          statementStarts.add(node.start);
        }
        break;
      default:
        break;
    }
    for (const { child } of childrenOf(node)) visit(child, node, childOwner, childChain, params);
  };
  visit(program, null, program, null, false);

  // ---- rejections that depend on the analysis ---------------------------------------------------
  const fnMeta = new Map<AnyNode, { kind: string; name: string; host: AnyNode }>();
  for (const [node, parent] of parentOf) {
    if ((parent.type === 'MethodDefinition' || parent.type === 'Property') && parent.value === node) {
      const kind = parent.type === 'MethodDefinition' ? parent.kind : parent.kind === 'init' ? (parent.method ? 'method' : 'value') : parent.kind;
      fnMeta.set(node, { kind, name: propertyKeyName(parent.key, parent.computed), host: parent });
    }
  }
  for (const owner of needsAsync) {
    if (inParams.has(owner)) problem(owner, 'default parameter value that calls a function', 'parameters are evaluated before an async body could wait for the call');
    if (owner.type === 'PropertyDefinition') {
      problem(owner, `class field "${propertyKeyName(owner.key, owner.computed)}" whose initializer calls a function`, 'field initializers run inside the constructor, which cannot wait for k6 calls');
    } else if (owner.type === 'StaticBlock') {
      problem(owner, 'static initialization block that calls a function', 'it runs synchronously when the class is defined');
    } else if (owner.type !== 'Program') {
      const meta = fnMeta.get(owner);
      if (meta && (meta.kind === 'get' || meta.kind === 'set')) {
        problem(meta.host, `${meta.kind === 'get' ? 'getter' : 'setter'} "${meta.name}" that calls a function`, 'property accesses cannot wait for k6 calls');
      } else if (meta && meta.kind === 'constructor') {
        problem(meta.host, 'class constructor that calls a function', '`new` cannot wait for k6 calls');
      } else if (meta && (meta.kind === 'method' || meta.kind === 'value') && IMPLICIT_METHODS.has(meta.name)) {
        problem(meta.host, `method "${meta.name}" that calls a function`, 'JavaScript calls it implicitly and cannot wait for its result');
      }
    }
  }
  for (const [node] of ownerOf) {
    if (node.type !== 'NewExpression' || node.callee.type !== 'Identifier') continue;
    const b = resolve(node.callee);
    if (b && b.fn && needsAsync.has(b.fn as Owner) && b.fn.type !== 'ArrowFunctionExpression') {
      problem(node, `\`new ${node.callee.name}()\` on a function that calls other functions`, 'constructors cannot wait for k6 calls; use a class whose constructor only stores values');
    }
  }

  // ---- rewriting ---------------------------------------------------------------------------------
  const insertBefore = (pos: number, text: string): void => {
    if (text.startsWith('(') && statementStarts.has(pos)) {
      // A statement now starting with "(" could continue the previous line (no semicolon): guard it.
      statementStarts.delete(pos);
      s.prependRight(pos, ';');
    }
    s.appendRight(pos, text);
  };
  const nativeAsyncTags: string[] = [];
  const guarded: Fn[] = [];

  for (const [node, owner] of ownerOf) {
    void owner;
    switch (node.type) {
      case 'Identifier': {
        if (!isReference(node)) break;
        const b = resolve(node);
        let replacement: string | undefined;
        if (b && b.kind === 'import') replacement = importRef(b);
        else if (b === undefined && Object.hasOwn(RUNTIME_GLOBALS, node.name)) replacement = RUNTIME_GLOBALS[node.name];
        if (replacement === undefined) break;
        const parent = parentOf.get(node);
        if (parent && parent.type === 'Property' && parent.shorthand && parent.value === node && parentOf.get(parent)?.type === 'ObjectExpression') {
          replacement = `${node.name}: ${replacement}`;
        }
        s.overwrite(node.start, node.end, replacement, { contentOnly: true });
        break;
      }
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression': {
        if (node.async) {
          if (node.type === 'FunctionDeclaration' && node.id) {
            const parent = parentOf.get(node);
            const host = parent && parent.type === 'ExportNamedDeclaration' ? parentOf.get(parent) : parent;
            if (!host || host.type === 'Program') nativeAsyncTags.push(node.id.name);
            else if (host.type === 'BlockStatement') s.appendLeft(host.start + 1, ` __rt.na(${node.id.name});`);
          }
          else if (!fnMeta.has(node)) {
            insertBefore(node.start, '__rt.na(');
            // Right of the end: after the depth guard's closer of an expression body (left of it).
            s.prependRight(node.end, ')');
          }
          if (!node.generator) guarded.push(node);
          break;
        }
        if (!needsAsync.has(node) || node.generator) break;
        const meta = fnMeta.get(node);
        if (meta) {
          if (meta.kind !== 'method' && meta.kind !== 'value') break;
          if (meta.kind === 'method') {
            const host = meta.host as Extract<AnyNode, { type: 'MethodDefinition' | 'Property' }>;
            const at = host.computed ? code.lastIndexOf('[', host.key.start) : host.key.start;
            s.appendRight(at, 'async ');
            guarded.push(node);
            break;
          }
        }
        s.appendRight(node.start, 'async ');
        guarded.push(node);
        break;
      }
      case 'ThrowStatement':
        captureThrow(s, node);
        break;
      case 'CallExpression':
      case 'TaggedTemplateExpression':
      case 'NewExpression': {
        const kind = node.type === 'TaggedTemplateExpression' ? 'await' : callKind.get(node);
        if (kind === undefined || kind === 'none') break;
        const parent = parentOf.get(node);
        const chain = chainOf.get(node);
        if (kind === 'cb' && node.type === 'CallExpression' && node.callee.type === 'MemberExpression' && node.arguments.length > 0) {
          const callee = node.callee;
          const name = calleeName(callee) ?? '';
          const first = node.arguments[0]!;
          insertBefore(node.start, `(await __rt.${chain ? 'cbo' : 'cb'}(`);
          s.overwrite(callee.object.end, first.start, `, ${JSON.stringify(name)}, [`, { contentOnly: true });
          s.overwrite(node.end - 1, node.end, ']))', { contentOnly: true });
        } else if (parent && parent.type === 'ExpressionStatement' && parent.expression === node) {
          s.appendRight(node.start, 'await ');
        } else {
          insertBefore(node.start, '(await ');
          s.prependLeft(node.end, ')');
        }
        // Inside `a?.b().c`, the link after an awaited call must stay optional to keep short-circuiting.
        if (chain && parent && parent !== chain && hasOptionalBelow(node)) {
          if (parent.type === 'MemberExpression' && parent.object === node && !parent.optional) s.appendLeft(node.end, parent.computed ? '?.' : '?');
          if (parent.type === 'CallExpression' && parent.callee === node && !parent.optional) s.appendLeft(node.end, '?.');
        }
        break;
      }
      default:
        break;
    }
  }

  // Inner functions first: their closers can share an offset with their enclosing function's.
  guarded.sort((a, b) => b.start - a.start);
  for (const fn of guarded) guardDepth(s, code, fn);

  // ---- the wrapper, all on line 1 ------------------------------------------------------------------
  const params = ['__rt', '__ns', ...imports.map((_, i) => `__i${i}`)].join(', ');
  const getters = exportGetters.map(([name, expr]) => `${JSON.stringify(name)}: () => ${expr}`).join(', ');
  let head = `(async function (${params}) { 'use strict'; __rt.exp(__ns, { ${getters} });`;
  for (const i of starReexports) head += ` __rt.reexport(__ns, __i${i});`;
  for (const name of nativeAsyncTags) head += ` __rt.na(${name});`;
  s.prepend(head + ' ');
  s.append('\n})');
  let mappings: Mappings | undefined;
  const sourceMap = (): Mappings => (mappings ??= s.generateDecodedMap({ hires: true }).mappings);
  return { factorySource: s.toString(), sourceMap, imports, problems };
}

/** Whether an optional link (`?.`) sits in the callee/object path below this call. */
function hasOptionalBelow(node: AnyNode): boolean {
  let n: AnyNode | undefined = node;
  while (n) {
    if ((n.type === 'CallExpression' || n.type === 'MemberExpression') && n.optional) return true;
    if (n.type === 'CallExpression') n = n.callee;
    else if (n.type === 'MemberExpression') n = n.object;
    else n = undefined;
  }
  return false;
}
