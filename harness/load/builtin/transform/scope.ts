/**
 * Scope analysis: which declaration each identifier reference resolves to. The transform needs it
 * to rewrite imported bindings and k6 globals (`__ITER`, `open`) only where the script did not
 * shadow them, and to know whether `new Foo()` targets a user function.
 */
import type { AnyNode } from './walk.ts';
import { childrenOf, isFunctionNode } from './walk.ts';

export type BindingKind = 'import' | 'var' | 'let' | 'const' | 'function' | 'class' | 'param' | 'catch';

export interface Binding {
  name: string;
  kind: BindingKind;
  /** The function node when the binding is a function declaration or `const f = function/arrow`. */
  fn?: AnyNode;
  /** For imports: index of the import source and the imported name ('*' for a namespace). */
  importIndex?: number;
  importName?: string;
}

class Scope {
  readonly bindings = new Map<string, Binding>();
  constructor(
    readonly parent: Scope | null,
    readonly isFunction: boolean,
  ) {}
  lookup(name: string): Binding | undefined {
    for (let s: Scope | null = this; s; s = s.parent) {
      const b = s.bindings.get(name);
      if (b) return b;
    }
    return undefined;
  }
}

export interface ScopeInfo {
  /** Reference identifiers (reads and assignment targets) and what they resolve to (undefined = global). */
  references: Map<AnyNode, Binding | undefined>;
  /** Names declared anywhere in the module, to pick fresh internal names. */
  declared: Set<string>;
}

export interface ImportBindingSpec {
  local: string;
  importIndex: number;
  importName: string;
}

/** Names bound by a pattern (declaration or parameter). */
export function patternNames(pattern: AnyNode, out: AnyNode[] = []): AnyNode[] {
  switch (pattern.type) {
    case 'Identifier':
      out.push(pattern);
      break;
    case 'ObjectPattern':
      for (const p of pattern.properties) patternNames(p.type === 'RestElement' ? p : p.value, out);
      break;
    case 'ArrayPattern':
      for (const e of pattern.elements) if (e) patternNames(e, out);
      break;
    case 'RestElement':
      patternNames(pattern.argument, out);
      break;
    case 'AssignmentPattern':
      patternNames(pattern.left, out);
      break;
    default:
      break;
  }
  return out;
}

export function analyzeScopes(program: AnyNode, imports: ImportBindingSpec[]): ScopeInfo {
  const scopeOf = new Map<AnyNode, Scope>();
  const declared = new Set<string>();
  const moduleScope = new Scope(null, true);
  scopeOf.set(program, moduleScope);
  for (const spec of imports) {
    moduleScope.bindings.set(spec.local, { name: spec.local, kind: 'import', importIndex: spec.importIndex, importName: spec.importName });
    declared.add(spec.local);
  }

  const declare = (scope: Scope, id: AnyNode, kind: BindingKind, fn?: AnyNode): void => {
    if (id.type !== 'Identifier') return;
    declared.add(id.name);
    const existing = scope.bindings.get(id.name);
    if (existing && existing.kind === 'import') return;
    scope.bindings.set(id.name, fn ? { name: id.name, kind, fn } : { name: id.name, kind });
  };
  const nearestFunction = (scope: Scope): Scope => {
    let s = scope;
    while (!s.isFunction && s.parent) s = s.parent;
    return s;
  };

  // Pass 1: create scopes and hoist declarations into them.
  const declarePass = (node: AnyNode, scope: Scope): void => {
    switch (node.type) {
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression': {
        if (node.type === 'FunctionDeclaration' && node.id) declare(scope, node.id, 'function', node);
        const fnScope = new Scope(scope, true);
        scopeOf.set(node, fnScope);
        if (node.type === 'FunctionExpression' && node.id) declare(fnScope, node.id, 'function', node);
        for (const p of node.params) {
          for (const id of patternNames(p)) declare(fnScope, id, 'param');
          declarePass(p, fnScope);
        }
        if (node.body.type === 'BlockStatement') {
          scopeOf.set(node.body, fnScope);
          for (const s of node.body.body) declarePass(s, fnScope);
        } else {
          declarePass(node.body, fnScope);
        }
        return;
      }
      case 'ClassDeclaration':
      case 'ClassExpression': {
        if (node.type === 'ClassDeclaration' && node.id) declare(scope, node.id, 'class');
        const classScope = new Scope(scope, false);
        scopeOf.set(node, classScope);
        if (node.type === 'ClassExpression' && node.id) declare(classScope, node.id, 'class');
        if (node.superClass) declarePass(node.superClass, scope);
        for (const member of node.body.body) {
          if (member.type === 'StaticBlock') {
            const blockScope = new Scope(classScope, true);
            scopeOf.set(member, blockScope);
            for (const s of member.body) declarePass(s, blockScope);
          } else {
            if (member.computed) declarePass(member.key, classScope);
            if (member.value) declarePass(member.value, classScope);
          }
        }
        return;
      }
      case 'VariableDeclaration': {
        const target = node.kind === 'var' ? nearestFunction(scope) : scope;
        const kind: BindingKind = node.kind === 'var' ? 'var' : node.kind === 'const' ? 'const' : 'let';
        for (const d of node.declarations) {
          const fnInit = d.init && isFunctionNode(d.init) ? d.init : undefined;
          for (const id of patternNames(d.id)) declare(target, id, kind, d.id.type === 'Identifier' ? fnInit : undefined);
          declarePass(d.id, scope);
          if (d.init) declarePass(d.init, scope);
        }
        return;
      }
      case 'BlockStatement':
      case 'StaticBlock': {
        const blockScope = new Scope(scope, false);
        scopeOf.set(node, blockScope);
        for (const s of node.body) declarePass(s, blockScope);
        return;
      }
      case 'ForStatement':
      case 'ForInStatement':
      case 'ForOfStatement':
      case 'SwitchStatement': {
        const loopScope = new Scope(scope, false);
        scopeOf.set(node, loopScope);
        for (const { child } of childrenOf(node)) declarePass(child, loopScope);
        return;
      }
      case 'CatchClause': {
        const catchScope = new Scope(scope, false);
        scopeOf.set(node, catchScope);
        if (node.param) for (const id of patternNames(node.param)) declare(catchScope, id, 'catch');
        scopeOf.set(node.body, catchScope);
        for (const s of node.body.body) declarePass(s, catchScope);
        return;
      }
      default:
        for (const { child } of childrenOf(node)) declarePass(child, scope);
    }
  };
  for (const s of (program as Extract<AnyNode, { type: 'Program' }>).body) declarePass(s, moduleScope);

  // Pass 2: resolve references, knowing whether an identifier is a binding, a property name or a reference.
  const references = new Map<AnyNode, Binding | undefined>();
  type Mode = 'expr' | 'binding' | 'target';
  const resolvePass = (node: AnyNode, scope: Scope, mode: Mode): void => {
    const own = scopeOf.get(node);
    const here = own ?? scope;
    switch (node.type) {
      case 'Identifier':
        if (mode !== 'binding') references.set(node, here.lookup(node.name));
        return;
      case 'MemberExpression':
        resolvePass(node.object, here, 'expr');
        if (node.computed) resolvePass(node.property, here, 'expr');
        return;
      case 'Property':
        if (node.computed) resolvePass(node.key, here, 'expr');
        resolvePass(node.value, here, mode);
        return;
      case 'MethodDefinition':
      case 'PropertyDefinition':
        if (node.computed) resolvePass(node.key, here, 'expr');
        if (node.value) resolvePass(node.value, here, 'expr');
        return;
      case 'LabeledStatement':
        resolvePass(node.body, here, 'expr');
        return;
      case 'BreakStatement':
      case 'ContinueStatement':
      case 'MetaProperty':
      case 'ImportDeclaration':
      case 'PrivateIdentifier':
        return;
      case 'ExportNamedDeclaration':
        if (node.declaration) resolvePass(node.declaration, here, 'expr');
        else if (!node.source) for (const s of node.specifiers) if (s.local.type === 'Identifier') references.set(s.local, here.lookup(s.local.name));
        return;
      case 'ExportAllDeclaration':
        return;
      case 'VariableDeclarator':
        resolvePass(node.id, here, 'binding');
        if (node.init) resolvePass(node.init, here, 'expr');
        return;
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        for (const p of node.params) resolvePass(p, here, 'binding');
        resolvePass(node.body, here, 'expr');
        return;
      case 'ClassDeclaration':
      case 'ClassExpression':
        if (node.superClass) resolvePass(node.superClass, scope, 'expr');
        for (const m of node.body.body) resolvePass(m, here, 'expr');
        return;
      case 'CatchClause':
        if (node.param) resolvePass(node.param, here, 'binding');
        for (const s of node.body.body) resolvePass(s, here, 'expr');
        return;
      case 'AssignmentExpression':
        resolvePass(node.left, here, 'target');
        resolvePass(node.right, here, 'expr');
        return;
      case 'AssignmentPattern':
        resolvePass(node.left, here, mode);
        resolvePass(node.right, here, 'expr');
        return;
      case 'ObjectPattern':
      case 'ArrayPattern':
      case 'RestElement':
        for (const { child } of childrenOf(node)) resolvePass(child, here, mode);
        return;
      case 'ForInStatement':
      case 'ForOfStatement':
        resolvePass(node.left, here, node.left.type === 'VariableDeclaration' ? 'expr' : 'target');
        resolvePass(node.right, here, 'expr');
        resolvePass(node.body, here, 'expr');
        return;
      default:
        for (const { child } of childrenOf(node)) resolvePass(child, here, mode === 'binding' ? 'binding' : 'expr');
    }
  };
  resolvePass(program, moduleScope, 'expr');
  return { references, declared };
}
