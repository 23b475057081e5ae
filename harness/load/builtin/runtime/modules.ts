/**
 * Instantiates a compiled script for one VU: every module factory runs again with fresh module
 * scope (k6 gives each VU its own copy of the init code), with that VU's k6 module objects and a
 * per-module `__rt` whose `open()` resolves paths relative to the module's own file.
 */
import path from 'node:path';
import type { CompiledScript } from '../transform/loader.ts';
import type { K6ModuleName } from '../transform/loader.ts';

export type Namespace = Record<string, unknown>;

/** Defines export getters on a namespace, as hoisted ES exports. */
export function defineExports(ns: Namespace, getters: Record<string, () => unknown>): void {
  for (const name of Object.keys(getters)) {
    Object.defineProperty(ns, name, { get: getters[name], enumerable: true, configurable: true });
  }
}

/** `export * from` re-exports every name but `default` (names the module defines itself win). */
export function reexport(ns: Namespace, from: Namespace): void {
  for (const name of Object.keys(from)) {
    if (name === 'default' || Object.hasOwn(ns, name)) continue;
    Object.defineProperty(ns, name, { get: () => from[name], enumerable: true, configurable: true });
  }
}

export async function instantiate(
  script: CompiledScript,
  runtimeFor: (moduleDir: string) => object,
  k6Module: (name: K6ModuleName) => Namespace,
): Promise<Namespace> {
  const instances = new Map<string, Namespace>();
  const load = async (id: string): Promise<Namespace> => {
    const existing = instances.get(id);
    if (existing) return existing;
    const mod = script.modules.get(id);
    if (!mod) throw new Error(`module not compiled: ${id}`);
    const ns: Namespace = Object.create(null) as Namespace;
    instances.set(id, ns);
    const deps: Namespace[] = [];
    for (const dep of mod.deps) deps.push(dep.kind === 'k6' ? k6Module(dep.name) : await load(dep.id));
    // Called unbound: V8 would name the module's top-level frame after the property (`Object.factory`);
    // unbound it is anonymous, as goja shows a module's top level.
    const factory = mod.factory;
    await factory(runtimeFor(path.dirname(id)), ns, ...deps);
    return ns;
  };
  return load(script.entry);
}
