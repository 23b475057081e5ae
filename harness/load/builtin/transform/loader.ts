/**
 * Loads a k6 script and its local imports into compiled module factories: TypeScript through
 * esbuild's transform, then the async transform of transform.ts, then V8 compilation (once; the
 * factories are instantiated per VU by runtime/modules.ts). Everything unsupported — modules and
 * constructs — is collected and reported in one error before anything runs. Each module keeps the
 * way back from its compiled code's positions to the user's file, for stack traces (positions.ts).
 */
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { SourceMap } from 'node:module';
import { parse } from 'acorn';
import { transformSync } from 'esbuild';
import type { AnyNode } from './walk.ts';
import { collectNativeAsyncNames } from './classify.ts';
import { transformModule } from './transform.ts';
import { UnsupportedScriptError, type Problem } from './problems.ts';
import { composePositions, decodeMappings, type Mappings, type Position } from './positions.ts';

/** The k6 modules the built-in engine implements. */
export const SUPPORTED_K6_MODULES = ['k6', 'k6/http', 'k6/metrics', 'k6/execution', 'k6/data', 'k6/encoding', 'k6/crypto'] as const;
export type K6ModuleName = (typeof SUPPORTED_K6_MODULES)[number];

export type ModuleFactory = (rt: object, ns: object, ...imports: object[]) => Promise<void>;

export type Dependency = { kind: 'k6'; name: K6ModuleName } | { kind: 'local'; id: string };

export interface CompiledModule {
  /** Absolute path. */
  id: string;
  /** The path shown to the user. */
  displayName: string;
  factory: ModuleFactory;
  deps: Dependency[];
  /** Where a position in the compiled code (V8's line, 1-based, and column, here 0-based) is in the user's file. */
  originalPosition: (line: number, column: number) => Position | undefined;
  /** The name an anonymous `export default` function got (the transform's, or esbuild's for TypeScript). */
  anonymousDefault: string;
}

export interface CompiledScript {
  entry: string;
  modules: ReadonlyMap<string, CompiledModule>;
  /** Source of every module after the transform (for debugging and tests). */
  transformed: ReadonlyMap<string, string>;
}

interface ParsedModule {
  id: string;
  displayName: string;
  code: string;
  program: AnyNode;
  mapLine: (line: number, column: number) => number;
  /** esbuild's source map, for a TypeScript module. */
  tsMap?: () => Mappings;
  /** esbuild's name for an anonymous default export (`script_default`), for a TypeScript module. */
  tsDefault?: string;
}

const LOCAL_EXTENSIONS = new Set(['.js', '.mjs', '.cjs', '.ts', '.mts']);

function displayPath(abs: string, cwd: string): string {
  const rel = path.relative(cwd, abs);
  return rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel;
}

function readModule(id: string, displayName: string, problems: Problem[]): ParsedModule | undefined {
  let code = readFileSync(id, 'utf8');
  let mapLine = (line: number, _column: number): number => line;
  let tsMap: (() => Mappings) | undefined;
  let tsDefault: string | undefined;
  if (id.endsWith('.ts') || id.endsWith('.mts')) {
    try {
      const out = transformSync(code, { loader: 'ts', format: 'esm', target: 'es2022', sourcemap: 'external', sourcefile: id });
      code = out.code;
      const raw = JSON.parse(out.map) as ConstructorParameters<typeof SourceMap>[0];
      const map = new SourceMap(raw);
      let decoded: Mappings | undefined;
      tsMap = () => (decoded ??= decodeMappings(raw.mappings));
      tsDefault = /\b([\w$]+_default) as default\b/.exec(code)?.[1];
      mapLine = (line: number, column: number): number => {
        const entry = map.findEntry(line - 1, column) as { originalLine?: number };
        return typeof entry.originalLine === 'number' ? entry.originalLine + 1 : line;
      };
    } catch (error) {
      const e = error as { errors?: Array<{ text: string; location?: { line: number } }> };
      const first = e.errors?.[0];
      problems.push({ file: displayName, line: first?.location?.line ?? 0, construct: 'TypeScript syntax', reason: first?.text ?? String(error) });
      return undefined;
    }
  }
  try {
    const program = parse(code, { ecmaVersion: 'latest', sourceType: 'module', locations: true, allowHashBang: true }) as AnyNode;
    return { id, displayName, code, program, mapLine, tsMap, tsDefault };
  } catch (error) {
    const e = error as { loc?: { line: number; column: number }; message: string };
    problems.push({ file: displayName, line: e.loc ? mapLine(e.loc.line, e.loc.column) : 0, construct: 'syntax', reason: e.message });
    return undefined;
  }
}

function moduleSources(program: AnyNode): Array<{ specifier: string; node: AnyNode }> {
  const out: Array<{ specifier: string; node: AnyNode }> = [];
  if (program.type !== 'Program') return out;
  for (const stmt of program.body) {
    if ((stmt.type === 'ImportDeclaration' || stmt.type === 'ExportAllDeclaration' || stmt.type === 'ExportNamedDeclaration') && stmt.source) {
      out.push({ specifier: String(stmt.source.value), node: stmt });
    }
  }
  return out;
}

function classifySpecifier(specifier: string, from: string): Dependency | { problem: string } {
  if ((SUPPORTED_K6_MODULES as readonly string[]).includes(specifier)) return { kind: 'k6', name: specifier as K6ModuleName };
  if (specifier === 'k6' || specifier.startsWith('k6/')) {
    return { problem: `the built-in engine implements ${SUPPORTED_K6_MODULES.join(', ')} only` };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(specifier)) return { problem: 'remote modules cannot be fetched here (no network)' };
  if (specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('/') || specifier.startsWith('file://')) {
    const target = specifier.startsWith('file://') ? new URL(specifier).pathname : path.resolve(path.dirname(from), specifier);
    if (!LOCAL_EXTENSIONS.has(path.extname(target))) return { problem: 'local imports must name a .js or .ts file (as k6 requires)' };
    if (!existsSync(target)) return { problem: `file not found: ${target}` };
    return { kind: 'local', id: target };
  }
  return { problem: 'only k6 modules and local files can be imported' };
}

/** Loads, checks and compiles a script; throws UnsupportedScriptError listing every problem. */
export function compileScript(scriptPath: string, cwd: string = process.cwd()): CompiledScript {
  const entry = path.resolve(cwd, scriptPath);
  const problems: Problem[] = [];
  if (!existsSync(entry)) throw new UnsupportedScriptError([{ file: scriptPath, line: 0, construct: 'script', reason: 'file not found' }]);
  const parsed = new Map<string, ParsedModule>();
  const deps = new Map<string, Dependency[]>();
  const queue = [entry];
  while (queue.length > 0) {
    const id = queue.shift()!;
    if (parsed.has(id)) continue;
    const mod = readModule(id, displayPath(id, cwd), problems);
    if (!mod) continue;
    parsed.set(id, mod);
    const list: Dependency[] = [];
    for (const { specifier, node } of moduleSources(mod.program)) {
      const dep = classifySpecifier(specifier, id);
      const line = node.loc ? mod.mapLine(node.loc.start.line, node.loc.start.column) : 0;
      if ('problem' in dep) {
        problems.push({ file: mod.displayName, line, construct: `import of "${specifier}"`, reason: dep.problem });
        continue;
      }
      list.push(dep);
      if (dep.kind === 'local' && !parsed.has(dep.id)) queue.push(dep.id);
    }
    deps.set(id, list);
  }

  const nativeAsyncNames = new Set<string>(['asyncRequest']);
  for (const mod of parsed.values()) collectNativeAsyncNames(mod.program, nativeAsyncNames);

  const modules = new Map<string, CompiledModule>();
  const transformed = new Map<string, string>();
  for (const mod of parsed.values()) {
    const out = transformModule({ code: mod.code, program: mod.program, file: mod.displayName, mapLine: mod.mapLine, nativeAsyncNames });
    problems.push(...out.problems);
    transformed.set(mod.id, out.factorySource);
    // The transform's import order is the factory's parameter order.
    const ordered: Dependency[] = [];
    for (const request of out.imports) {
      const dep = classifySpecifier(request.specifier, mod.id);
      ordered.push('problem' in dep ? { kind: 'k6', name: 'k6' } : dep);
    }
    if (problems.length > 0) continue;
    let factory: ModuleFactory;
    try {
      factory = vm.runInThisContext(out.factorySource, { filename: mod.id }) as ModuleFactory;
    } catch (error) {
      problems.push({ file: mod.displayName, line: 0, construct: 'transformed module', reason: `internal transform error: ${String(error)}` });
      continue;
    }
    const originalPosition = composePositions(mod.tsMap ? [out.sourceMap, mod.tsMap] : [out.sourceMap]);
    const anonymousDefault = mod.tsDefault ?? '__default';
    modules.set(mod.id, { id: mod.id, displayName: mod.displayName, factory, deps: ordered, originalPosition, anonymousDefault });
  }
  if (problems.length > 0) {
    problems.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
    throw new UnsupportedScriptError(problems);
  }
  return { entry, modules, transformed };
}
