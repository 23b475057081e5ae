import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HarnessError } from '../core/errors.ts';
import { createBuiltinEngine } from './builtin/index.ts';
import { bundleScript } from './script-bundle.ts';
import { es2017Imports, es2020Operators } from './script-bundle-testkit.ts';

describe('bundleScript', () => {
  let dir: string;
  const write = (file: string, text: string): string => {
    const path = join(dir, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    return path;
  };
  const failure = async (promise: Promise<unknown>): Promise<HarnessError> => {
    const error: unknown = await promise.then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(HarnessError);
    return error as HarnessError;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'script-bundle-'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('turns TypeScript with ES2020+ syntax and local imports into one ES2017 module importing only k6 and remote modules', async () => {
    write(
      'lib/util.ts',
      `export interface Box { value?: { n: number } }\nexport const n = (box: Box): number => box.value?.n ?? 0;\nexport class Counter { count = 0; #step = 1; bump(): number { return (this.count += this.#step); } }\n`,
    );
    const script = write(
      'script.ts',
      [
        `import type { Options } from 'k6/options';`,
        `import { sleep } from 'k6';`,
        `import http from 'k6/http';`,
        `import { uuidv4 } from 'https://jslib.k6.io/k6-utils/1.4.0/index.js';`,
        `import { n, Counter, type Box } from './lib/util.ts';`,
        `export const options: Options = { ...{ vus: 1 }, iterations: 1 };`,
        `export default function (): void {`,
        `  const box: Box = { value: { n: 2 } };`,
        `  try { http.get(__ENV.BASE ?? 'http://127.0.0.1:1', { tags: { id: uuidv4() } }); } catch { sleep(n(box) + new Counter().bump()); }`,
        `}`,
      ].join('\n'),
    );
    const bundle = await bundleScript(script, join(dir, 'trial/nested/script.bundle.js'));

    expect(bundle.path).toBe(join(dir, 'trial/nested/script.bundle.js'));
    expect(bundle.warnings).toEqual([]);
    const code = readFileSync(bundle.path, 'utf8');
    expect(es2017Imports(code).sort()).toEqual(['https://jslib.k6.io/k6-utils/1.4.0/index.js', 'k6', 'k6/http']);
    expect(es2020Operators(code)).toEqual([]);
    expect(code).not.toMatch(/import\s+type|sourceMappingURL/);
    expect(code).toContain('export {');
  });

  it('keeps relative open() paths pointing where k6 would look: next to the module that calls open()', async () => {
    write('data/users.json', JSON.stringify(['ann', 'bob']));
    write('data/motto.txt', 'hello');
    write('lib/users.ts', `export const users: string[] = JSON.parse(open('../data/users.json'));\n`);
    // An `open` of the script's own (here k6/data's SharedArray callback calls the global one) and an
    // absolute path, which is left as it is.
    const script = write(
      'script.ts',
      [
        `import { check } from 'k6';`,
        `import { SharedArray } from 'k6/data';`,
        `import { users } from './lib/users.ts';`,
        `const motto = open('data/motto.txt');`,
        `const shared = new SharedArray('users', () => JSON.parse(open('./data/users.json')));`,
        `const absolute = open(${JSON.stringify(join(dir, 'data/motto.txt'))});`,
        `export const options = { iterations: 1 };`,
        `export default function (): void {`,
        `  check(users, { 'lib open': (u) => u[1] === 'bob', 'script open': () => motto === 'hello' && absolute === 'hello' && shared.length === 2 });`,
        `}`,
      ].join('\n'),
    );
    const bundle = await bundleScript(script, join(dir, 'elsewhere/script.bundle.js'));
    const code = readFileSync(bundle.path, 'utf8');
    expect(es2017Imports(code).sort()).toEqual(['k6', 'k6/data']);
    expect(code).toContain(`openRelativeTo(${JSON.stringify(join(dir, 'lib'))})`);

    // The built-in engine resolves a relative open() against the bundle's directory, as k6 does:
    // the checks pass only if the bundle carries the modules' own directories.
    let stderr = '';
    const sink = (append: (text: string) => void): Writable => new Writable({ write: (chunk: Buffer, _encoding, done) => (append(String(chunk)), done()) });
    const result = await createBuiltinEngine().run({ script: bundle.path, env: {}, stdout: sink(() => {}), stderr: sink((text) => (stderr += text)) });
    expect(stderr).not.toMatch(/level=error|ERRO/);
    expect(result.exitCode).toBe(0);
    const checks = (result.summary as { root_group: { checks: Array<{ name: string; passes: number; fails: number }> } }).root_group.checks;
    expect(checks).toEqual([expect.objectContaining({ name: 'lib open', passes: 1, fails: 0 }), expect.objectContaining({ name: 'script open', passes: 1, fails: 0 })]);
  });

  it('leaves an imported open (k6/experimental/fs) alone', async () => {
    write('lib/data.ts', `export const data = open('./data.json');\n`);
    const script = write(
      'script.ts',
      `import { open } from 'k6/experimental/fs';\nimport { data } from './lib/data.ts';\nexport default async function () { return [await open('./x.bin'), data]; }\n`,
    );
    const code = readFileSync((await bundleScript(script, join(dir, 'out.js'))).path, 'utf8');
    // The import is renamed, so that the global open the wrapper calls is not the imported one.
    const imported = /import \{ open as (\w+) \} from "k6\/experimental\/fs"/.exec(code)?.[1];
    expect(imported).toBeDefined();
    expect(code).toContain(`await ${imported}("./x.bin")`);
  });

  it('fails on a syntax error with the file, line and column, writing nothing', async () => {
    const script = write('broken.ts', `export default function () {\n  const x = 1 +* 2;\n}\n`);
    const error = await failure(bundleScript(script, join(dir, 'out/bundle.js')));
    expect(error).toMatchObject({ code: 'E_SCRIPT_BUNDLE', exitCode: 2 });
    expect(error.message).toContain(`${script}:2:16: Unexpected "*"`);
    expect(error.message).not.toMatch(/\n\s+at /);
    expect(error.hint).toBeDefined();
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('names the line as written in a module that calls open(), and a missing import', async () => {
    write('lib/data.ts', `export const data = open('./data.json');\n\n\nimport { nothing } from './missing.ts';\nexport { nothing };\n`);
    const script = write('script.ts', `import { data } from './lib/data.ts';\nexport default function () { return data; }\n`);
    const error = await failure(bundleScript(script, join(dir, 'out.js')));
    expect(error.message).toContain(`${join(dir, 'lib/data.ts')}:4:25: Could not resolve "./missing.ts"`);
  });

  it('fails on syntax esbuild cannot lower to ES2017, naming it', async () => {
    const script = write('await.ts', `const x = await Promise.resolve(1);\nexport default function () { return x; }\n`);
    const error = await failure(bundleScript(script, join(dir, 'out.js')));
    expect(error.message).toContain(`${script}:1:11: Top-level await is not available in the configured target environment ("es2017")`);
  });

  it('checks the bundle with an ES2017 parser and names what esbuild let through, where it is in the bundle and the script', async () => {
    const script = write('dynamic.ts', `const pause = 1;\nexport default function () {\n  return import('k6/http').then(() => pause);\n}\n`);
    const out = join(dir, 'out.js');
    const error = await failure(bundleScript(script, out));
    expect(error).toMatchObject({ code: 'E_SCRIPT_BUNDLE', exitCode: 2 });
    expect(error.message).toMatch(new RegExp(`a dynamic import\\(\\) at ${out}:\\d+:10 \\(from ${script}:3:10\\): return import\\("k6/http"\\)`));
    // Written, so that the line named can be read.
    expect(existsSync(out)).toBe(true);
  });

  it('drops a #! line, which k6 does not need and ES2017 does not allow', async () => {
    const script = write('hashbang.js', `#!/usr/bin/env k6\nexport default function () {}\n`);
    const code = readFileSync((await bundleScript(script, join(dir, 'out.js'))).path, 'utf8');
    expect(code.startsWith('#!')).toBe(false);
    expect(es2017Imports(code)).toEqual([]);
  });

  it('refuses to write the bundle over the script', async () => {
    const script = write('script.js', 'export default function () {}\n');
    const error = await failure(bundleScript(script, script));
    expect(error.message).toContain('onto itself');
    expect(readFileSync(script, 'utf8')).toBe('export default function () {}\n');
  });
});
