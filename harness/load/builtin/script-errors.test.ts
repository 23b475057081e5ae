/**
 * A script's exceptions, as k6 shows them: the message, the script's own frames with the original
 * file:line, none of the engine's, k6's log fields and exit codes — in init code, an iteration,
 * setup(), teardown(), handleSummary(), deep recursion, a thrown string and a .ts script. Init and
 * iteration errors also go through the engine's own process (what `harness load` users get).
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runBuiltin } from './run.ts';
import { runScript, scriptDir } from './testkit.ts';
import { K6ConfigError } from '../metrics/errors.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Nothing of the engine in what the user reads, and not much of it. */
function expectUserFacing(text: string, maxLength = 3000): void {
  expect(text).not.toContain('node:internal');
  expect(text).not.toContain('.harness-cache');
  expect(text).not.toContain('node_modules');
  expect(text).not.toContain(REPO);
  expect(text).not.toContain('PromiseRejectCallback');
  expect(text.length).toBeLessThan(maxLength);
}

/** The engine in this process (HARNESS_BUILTIN_IN_PROCESS's path), capturing its streams. */
async function runInProcess(files: Record<string, string>, entry = 'script.js'): Promise<{ exitCode: number; stdout: string; stderr: string; url: string }> {
  const dir = scriptDir(files);
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void): Writable =>
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        append(chunk.toString());
        cb();
      },
    });
  const result = await runBuiltin({
    script: path.join(dir, entry),
    env: {},
    cwd: dir,
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
  });
  return { exitCode: result.exitCode, stdout, stderr, url: pathToFileURL(path.join(dir, entry)).href };
}

async function initError(run: Promise<unknown>): Promise<K6ConfigError> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(K6ConfigError);
  return error as K6ConfigError;
}

/** The lines of the ERRO entry that starts with `first` (a multi-line message, then its fields). */
function errorEntry(stderr: string, first: string): string {
  const start = stderr.indexOf(`ERRO[0000] ${first}`);
  expect(start, stderr).toBeGreaterThanOrEqual(0);
  const rest = stderr.slice(start);
  // The next entry's start, newline included (searched past this entry's own first character).
  const next = rest.slice(1).search(/\n[A-Z]{4}\[\d{4}\] /);
  return next < 0 ? rest : rest.slice(0, next + 2);
}

describe("the built-in engine shows a script's exceptions as k6 does", () => {
  it('in init code: the message and the script frames, exit 107, through the engine process', async () => {
    const script = `import http from 'k6/http';\nfunction cfg() {\n  throw new Error('boom');\n}\ncfg();\nexport default function () {}\n`;
    const error = await initError(runScript({ 'script.js': script }));
    expect(error.k6ExitCode).toBe(107);
    const [first, ...frames] = error.message.split('\n');
    expect(first).toBe("the script's init code failed: Error: boom");
    expect(frames).toHaveLength(2);
    expect(frames[0]).toMatch(/^\tat cfg \(file:\/\/\/.+\/script\.js:3:8\)$/);
    // The module's top level is an anonymous frame, as goja shows it.
    expect(frames[1]).toMatch(/^\tat file:\/\/\/.+\/script\.js:5:0$/);
    expectUserFacing(error.message);
  });

  it('in an iteration: logged with the scenario and source=stacktrace, and the run goes on, through the engine process', async () => {
    const run = await runScript({
      'script.js': `export const options = { iterations: 2 };\nfunction inner() {\n  throw new TypeError('bad thing ' + __ITER);\n}\nexport default function () {\n  inner();\n}\n`,
    });
    expect(run.result.exitCode).toBe(0);
    const entry = errorEntry(run.stderr, 'TypeError: bad thing 0');
    const url = pathToFileURL(path.join(run.dir, 'script.js')).href;
    expect(entry).toBe(`ERRO[0000] TypeError: bad thing 0\n\tat inner (${url}:3:8)\n\tat ${url}:6:2  executor=shared-iterations scenario=default source=stacktrace\n`);
    expect(run.stderr).toContain('TypeError: bad thing 1');
    expectUserFacing(run.stderr);
  });

  it('in setup(): logged at the end with hint="script exception", exit 107, no teardown', async () => {
    const run = await runInProcess({
      'script.js': `export function setup() {\n  null.x;\n}\nexport default function () {}\nexport function teardown() { console.log('teardown ran'); }\n`,
    });
    expect(run.exitCode).toBe(107);
    expect(run.stderr.trimEnd().split('\n').slice(-2)).toEqual([
      "ERRO[0000] TypeError: Cannot read properties of null (reading 'x')",
      `\tat setup (${run.url}:2:7)  hint="script exception"`,
    ]);
    expect(run.stderr).not.toContain('teardown ran');
    expect(run.stderr).not.toContain('setup failed');
    expectUserFacing(run.stderr);
  });

  it('in teardown(): logged at the end with hint="script exception", exit 107', async () => {
    const run = await runInProcess({ 'script.js': `export default function () {}\nexport function teardown() {\n  throw new Error('td');\n}\n` });
    expect(run.exitCode).toBe(107);
    expect(run.stderr.trimEnd().split('\n').slice(-2)).toEqual(['ERRO[0000] Error: td', `\tat teardown (${run.url}:3:8)  hint="script exception"`]);
    expect(run.stdout).toContain('iterations');
    expectUserFacing(run.stderr);
  });

  it('in handleSummary(): logged with hint="script exception", then the default summary, exit unchanged', async () => {
    const run = await runInProcess({ 'script.js': `export default function () {}\nexport function handleSummary(data) {\n  return data.nope.stdout;\n}\n` });
    expect(run.exitCode).toBe(0);
    expect(errorEntry(run.stderr, 'TypeError')).toBe(
      `ERRO[0000] TypeError: Cannot read properties of undefined (reading 'stdout')\n\tat handleSummary (${run.url}:3:19)  hint="script exception"\n`,
    );
    expect(run.stdout).toContain('iterations');
    expectUserFacing(run.stderr);
  });

  it('deep recursion in an iteration: a RangeError with a few script frames, never V8\'s raw PromiseRejectCallback, through the engine process', async () => {
    const run = await runScript({
      'script.js': `export const options = { iterations: 2 };\nfunction f() { return f(); }\nexport default function () { f(); }\n`,
    });
    expect(run.result.exitCode).toBe(0);
    const entry = errorEntry(run.stderr, 'RangeError: Maximum call stack size exceeded');
    const frames = entry.split('\n').slice(1, -1);
    expect(frames.length).toBeGreaterThanOrEqual(3);
    expect(frames.length).toBeLessThanOrEqual(10);
    for (const frame of frames) expect(frame).toMatch(/^\tat f \(file:\/\/\/.+\/script\.js:2:\d+\)/);
    // Both iterations failed the same way and were counted as not complete; the run went on.
    expect(run.stderr.split('RangeError: Maximum call stack size exceeded').length - 1).toBe(2);
    expect(run.progress.at(-1)).toContain('0 complete and 2 interrupted iterations');
    expectUserFacing(run.stderr, 5000);
  });

  it('deep recursion at init and in setup(): the same RangeError, exit 107', async () => {
    const init = await initError(runScript({ 'script.js': `function f() { return f(); }\nf();\nexport default function () {}\n` }));
    expect(init.k6ExitCode).toBe(107);
    expect(init.message.split('\n')[0]).toBe("the script's init code failed: RangeError: Maximum call stack size exceeded");
    expect(init.message).toMatch(/\n\tat f \(file:\/\/\/.+\/script\.js:1:\d+\)/);
    expectUserFacing(init.message);

    const setup = await runInProcess({ 'script.js': `function f() { return f(); }\nexport function setup() { f(); }\nexport default function () {}\n` });
    expect(setup.exitCode).toBe(107);
    expect(setup.stderr).toContain('ERRO[0000] RangeError: Maximum call stack size exceeded\n\tat f (');
    expectUserFacing(setup.stderr);
  });

  it('a thrown string: the value as String() shows it, at the throw', async () => {
    const run = await runInProcess({ 'script.js': `export const options = { iterations: 1 };\nexport default function () {\n  throw 'a string';\n}\n` });
    expect(run.exitCode).toBe(0);
    expect(errorEntry(run.stderr, 'a string')).toBe(`ERRO[0000] a string\n\tat ${run.url}:3:2  executor=shared-iterations scenario=default source=stacktrace\n`);
    expectUserFacing(run.stderr);
  });

  it('a .ts script: lines and columns of the TypeScript source, not of esbuild output', async () => {
    const script = [
      "import { check } from 'k6';",
      'interface Cfg {',
      '  url: string;',
      '  retries: number;',
      '}',
      '',
      'type Id = string;',
      'export const options = { iterations: 1 };',
      'function load(c: Cfg): number {',
      '  const x: number = c.retries;',
      "  if (x > 0) throw new Error('ts boom ' + x);",
      '  return x;',
      '}',
      'export default function (): void {',
      "  const c: Cfg = { url: 'u', retries: 2 };",
      '  check(load(c), { ok: () => true });',
      '}',
      '',
    ].join('\n');
    const run = await runInProcess({ 'script.ts': script }, 'script.ts');
    expect(run.exitCode).toBe(0);
    expect(errorEntry(run.stderr, 'Error: ts boom 2')).toBe(
      `ERRO[0000] Error: ts boom 2\n\tat load (${run.url}:11:19)\n\tat ${run.url}:16:8  executor=shared-iterations scenario=default source=stacktrace\n`,
    );
    expectUserFacing(run.stderr);
  });

  it('frames in imported files, and the full engine stack only with HARNESS_DEBUG=1', async () => {
    const files = {
      'lib/helpers.js': `export function fail(n) {\n  if (n > 1) {\n    throw new Error('in lib ' + n);\n  }\n  return fail(n + 1);\n}\n`,
      'script.js': `import { fail } from './lib/helpers.js';\nexport const options = { iterations: 1 };\nexport default function () {\n  fail(1);\n}\n`,
    };
    const plain = await runInProcess(files);
    const lib = plain.url.replace(/script\.js$/, 'lib/helpers.js');
    expect(errorEntry(plain.stderr, 'Error: in lib 2')).toBe(
      `ERRO[0000] Error: in lib 2\n\tat fail (${lib}:3:10)\n\tat fail (${lib}:5:9)\n\tat ${plain.url}:4:2  executor=shared-iterations scenario=default source=stacktrace\n`,
    );
    expectUserFacing(plain.stderr);

    const before = process.env['HARNESS_DEBUG'];
    process.env['HARNESS_DEBUG'] = '1';
    try {
      const debug = await runInProcess(files);
      expect(debug.stderr).toContain("HARNESS_DEBUG: the engine's stack:\nError: in lib 2\n    at fail (");
      expect(debug.stderr).toContain(path.join('harness', 'load', 'builtin'));
    } finally {
      if (before === undefined) delete process.env['HARNESS_DEBUG'];
      else process.env['HARNESS_DEBUG'] = before;
    }
  });
});
