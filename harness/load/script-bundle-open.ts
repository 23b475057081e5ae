/**
 * An esbuild plugin that keeps k6's `open()` paths working after bundling. k6 resolves a relative
 * `open('./users.json')` against the directory of the module that calls it; the bundle is written
 * elsewhere (the trial directory), so each module's calls to the global `open` go through a wrapper
 * that joins a relative path to that module's own directory. A local or imported `open`
 * (k6/experimental/fs) is left alone: esbuild's `define` replaces only unbound identifiers.
 *
 * A module that mentions `open` is reprinted by esbuild's transform, so a later error in it (an
 * import that does not resolve) would point at reprinted lines: bundleScript reports errors from a
 * build without this plugin.
 */
import { readFile } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import { transform, type Loader, type PartialMessage, type Plugin } from 'esbuild';

/** What a module's global `open` becomes; declared in that module as its wrapper. */
const OPEN_ALIAS = '__harnessOpen';
const HELPER = 'harness:open-relative';

const LOADERS: Readonly<Record<string, Loader>> = { '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.js': 'js', '.mjs': 'js', '.cjs': 'js' };

/**
 * Relative is what k6 would join to the module's directory: not "/…", "\…", "C:…" or "scheme:…".
 * Its global `open` is referenced here, so esbuild keeps the name free in the bundle (an imported
 * `open` gets renamed). Plain ES2017, as it runs in k6.
 */
const HELPER_SOURCE = `
export function openRelativeTo(dir) {
  return function (file, ...rest) {
    const relative = typeof file === 'string' && file !== '' && !/^([a-zA-Z][a-zA-Z0-9+.-]*:|[\\\\/])/.test(file);
    return open(relative ? dir + '/' + file : file, ...rest);
  };
}
`;

export function openRelativeToModule(): Plugin {
  return {
    name: 'k6-open-relative-to-module',
    setup(build) {
      build.onResolve({ filter: new RegExp(`^${HELPER}$`) }, () => ({ path: HELPER, namespace: HELPER }));
      build.onLoad({ filter: /.*/, namespace: HELPER }, () => ({ contents: HELPER_SOURCE, loader: 'js' }));
      build.onLoad({ filter: /\.[cm]?[jt]s$/, namespace: 'file' }, async (args) => {
        // npm packages are not k6 modules: their `open` (if any) has no k6 meaning to keep.
        if (args.path.includes('/node_modules/')) return undefined;
        const source = await readFile(args.path, 'utf8');
        if (!/\bopen\b/.test(source)) return undefined;
        const loader = LOADERS[extname(args.path)] ?? 'js';
        let code: string;
        try {
          code = (await transform(source, { loader, define: { open: OPEN_ALIAS }, target: 'esnext', sourcefile: args.path, sourcemap: 'inline' })).code;
        } catch (error) {
          const errors = (error as { errors?: PartialMessage[] }).errors;
          if (errors !== undefined) return { errors };
          throw error;
        }
        // Only a mention in a comment, a string or a property name: load the module as written.
        if (!code.includes(OPEN_ALIAS)) return undefined;
        // One line ahead of the code, so that the transform's inline source map still holds for every
        // other line (esbuild composes it into the bundle's map).
        const wrapper = `import { openRelativeTo } from '${HELPER}'; const ${OPEN_ALIAS} = openRelativeTo(${JSON.stringify(dirname(args.path))}); `;
        return { contents: wrapper + code, loader: 'js' };
      });
    },
  };
}
