/**
 * Bundles a k6 script into the one file real k6 is given. k6 releases before the ones that read
 * TypeScript reject `import type`, and their compiler knows no ES2020+ syntax (`??`, `?.`); every k6
 * from v0.4x on runs an ES2017 module. So the script and its local imports become one ES module:
 * types stripped, newer syntax lowered, `k6`, `k6/*` and remote (https://) imports left for k6 to
 * resolve. The k6 engine runs the bundle; the run orchestrator calls this before any container
 * starts, so a script that cannot be bundled fails early, naming the file and line.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { SourceMap } from 'node:module';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Message } from 'esbuild';
import { HarnessError } from '../core/errors.ts';
import { openRelativeToModule } from './script-bundle-open.ts';
import { findNonEs2017 } from './script-bundle-verify.ts';

export interface ScriptBundle {
  /** Absolute path of the bundle written. */
  path: string;
  /** esbuild's warnings ("file:line:column: text"), e.g. syntax lowered with a caveat. */
  warnings: string[];
}

const BUNDLE_HINT = 'fix the script so that it bundles (the harness hands k6 an ES2017 bundle of it)';

/**
 * Bundles `script` (.ts or .js) into `outFile`, creating its directory; relative paths are taken from
 * the process's working directory. Throws HarnessError E_SCRIPT_BUNDLE (exit 2) when esbuild fails
 * or the result is not ES2017, and before writing anything when `outFile` is the script itself.
 */
export async function bundleScript(script: string, outFile: string): Promise<ScriptBundle> {
  const entry = resolve(script);
  const out = resolve(outFile);
  if (entry === out) {
    throw new HarnessError('E_SCRIPT_BUNDLE', `cannot bundle ${shown(entry)} onto itself`, { hint: 'write the bundle to another file' });
  }
  const options: BuildOptions = {
    entryPoints: [entry],
    outfile: out,
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2017',
    platform: 'neutral',
    // platform neutral looks at no package.json field; a script's npm dependencies are ordinary ones.
    mainFields: ['module', 'main'],
    // k6 modules are built into k6 (extensions too, as k6/x/…); remote modules k6 fetches itself.
    external: ['k6', 'k6/*', 'https://*', 'http://*'],
    logLevel: 'silent',
    // Not written: it only maps a construct the ES2017 check finds back to the script's own line.
    sourcemap: 'external',
  };
  const result = await build({ ...options, plugins: [openRelativeToModule()] }).catch(async (failure: unknown) => {
    // The plugin reprints modules that call open(); a build without it reports the files as written.
    await build(options).catch((pristine: unknown) => {
      throw bundleError(entry, pristine);
    });
    throw bundleError(entry, failure);
  });
  const output = result.outputFiles?.find((file) => file.path === out);
  const map = result.outputFiles?.find((file) => file.path === `${out}.map`);
  if (output === undefined) throw new HarnessError('E_SCRIPT_BUNDLE', `esbuild wrote no bundle for ${shown(entry)}`);
  // esbuild keeps a "#!" line at the top; it means nothing to k6 and is not ES2017. It also ends the
  // bundle with a link to the map it did not write.
  const hashbang = /^#!.*\n/.test(output.text);
  const code = output.text.replace(/^#!.*\n/, '').replace(/\n\/\/# sourceMappingURL=\S+\n?$/, '\n');
  await mkdir(dirname(out), { recursive: true });
  // Written even when the check below fails, so that the line it names can be looked at.
  await writeFile(out, code);
  const problem = findNonEs2017(code);
  if (problem !== undefined) {
    const origin = map === undefined ? undefined : originOf(map.text, out, problem.line + (hashbang ? 1 : 0), problem.column);
    const where = origin === undefined ? '' : ` (from ${origin})`;
    throw new HarnessError(
      'E_SCRIPT_BUNDLE',
      `the bundle of ${shown(entry)} is not ES2017, which older k6 releases cannot run: ${problem.construct} at ${shown(out)}:${problem.line}:${problem.column}${where}: ${problem.excerpt}`,
      { hint: 'rewrite that construct in the script (esbuild cannot lower it to ES2017)' },
    );
  }
  return { path: out, warnings: result.warnings.map(formatMessage) };
}

/** "file:line:column" in the script for a 1-based position in the bundle, if the map knows it. */
function originOf(mapText: string, out: string, line: number, column: number): string | undefined {
  const entry = new SourceMap(JSON.parse(mapText) as ConstructorParameters<typeof SourceMap>[0]).findEntry(line - 1, column - 1) as {
    originalSource?: string;
    originalLine?: number;
    originalColumn?: number;
  };
  if (entry.originalSource === undefined || entry.originalLine === undefined || entry.originalColumn === undefined) return undefined;
  const source = entry.originalSource.startsWith('file:') ? fileURLToPath(entry.originalSource) : resolve(dirname(out), entry.originalSource);
  return `${shown(source)}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
}

function bundleError(entry: string, failure: unknown): HarnessError {
  const errors = (failure as { errors?: Message[] }).errors;
  if (errors === undefined || errors.length === 0) {
    const message = failure instanceof Error ? failure.message : String(failure);
    return new HarnessError('E_SCRIPT_BUNDLE', `cannot bundle ${shown(entry)}: ${message}`, { hint: BUNDLE_HINT, cause: failure });
  }
  const lines = errors.map((error) => `  ${formatMessage(error)}`);
  return new HarnessError('E_SCRIPT_BUNDLE', `cannot bundle ${shown(entry)}:\n${lines.join('\n')}`, { hint: BUNDLE_HINT });
}

/** "file:line:column: text", the column 1-based as editors count (esbuild's is 0-based). */
function formatMessage(message: Message): string {
  const location = message.location;
  if (location === null) return message.text;
  return `${shown(resolve(location.file))}:${location.line}:${location.column + 1}: ${message.text}`;
}

/** A path as the user would type it: relative to the working directory when under it. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}
