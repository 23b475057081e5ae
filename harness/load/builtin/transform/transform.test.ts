import { describe, expect, it } from 'vitest';
import { compileScript } from './loader.ts';
import { UnsupportedScriptError } from './problems.ts';
import { scriptDir } from '../testkit.ts';
import path from 'node:path';

function compile(files: Record<string, string>, entry = 'script.js'): string {
  const dir = scriptDir(files);
  const out = compileScript(path.join(dir, entry), dir);
  return out.transformed.get(path.join(dir, entry)) ?? '';
}

function problemsOf(files: Record<string, string>, entry = 'script.js'): string[] {
  const dir = scriptDir(files);
  try {
    compileScript(path.join(dir, entry), dir);
  } catch (error) {
    expect(error).toBeInstanceOf(UnsupportedScriptError);
    expect((error as UnsupportedScriptError).hint).toContain('--engine k6');
    return (error as UnsupportedScriptError).problems.map((p) => `${p.file}:${p.line}: ${p.construct}`);
  }
  return [];
}

describe('the async transform', () => {
  it('awaits calls that may block, including chained member access on results and helper functions', () => {
    const code = compile({
      'script.js': `import http from 'k6/http';
function helper(u) { return http.get(u).status; }
const isOk = (r) => r.status === 200;
export default function () { const s = helper('x'); return [s].map((v) => helper(v)); }
`,
    });
    // Async-made functions also get the call-depth guard (guards.ts); call-free ones stay as they are.
    const guard = (body: string): string => `{ if (++__rt.g.d % 64 === 0) await __rt.deep(); try {${body}} finally { __rt.g.d--; } }`;
    expect(code).toContain(`async function helper(u) ${guard(' return (await __i0.default.get(u)).status; ')}`);
    expect(code).toContain('const isOk = (r) => r.status === 200;');
    expect(code).toContain(`(await __rt.cb([s], "map", [async (v) => ${guard(' return ( (await helper(v))); ')}]))`);
    // Line numbers are preserved: helper stays on line 2.
    expect(code.split('\n')[1]).toContain('async function helper');
  });

  it('keeps promises of functions the script declared async, and guards statements starting with "("', () => {
    const code = compile({
      'script.js': `import http from 'k6/http';
async function later() { return 1; }
export default function () {
  const p = later()
  ;[1, 2].forEach((x) => http.get('u' + x))
  p.then((v) => v);
}
`,
    });
    expect(code).toContain('const p = later()');
    expect(code).toContain(';(await __rt.cb([1, 2], "forEach"');
    expect(code).toContain('p.then((v) => v)');
  });

  it('rejects what it cannot run with k6 semantics, naming the construct, file and line', () => {
    const problems = problemsOf({
      'script.js': `import http from 'k6/http';
import ws from 'k6/ws';
import { thing } from 'https://jslib.k6.io/x.js';
function* ids() { yield 1; }
class Client {
  constructor(base) { this.res = http.get(base); }
  get status() { return http.get('x').status; }
  toString() { return String(http.get('y').status); }
  fine() { return http.get('z'); }
}
function Legacy() { this.r = http.get('q'); }
export default function () { new Legacy(); import('./x.js'); }
`,
    });
    expect(problems).toEqual([
      'script.js:2: import of "k6/ws"',
      'script.js:3: import of "https://jslib.k6.io/x.js"',
      'script.js:4: generator function "ids"',
      'script.js:6: class constructor that calls a function',
      'script.js:7: getter "status" that calls a function',
      'script.js:8: method "toString" that calls a function',
      'script.js:12: dynamic import()',
      'script.js:12: `new Legacy()` on a function that calls other functions',
    ]);
  });

  it('reports lines of the TypeScript source and of local imports', () => {
    const problems = problemsOf(
      {
        'lib.js': `import exp from 'k6/experimental/browser';\nexport const x = 1;\n`,
        'script.ts': `import { x } from './lib.js';\ninterface A {\n  a: number;\n}\n\nexport default function (): void {\n  const gen = function* (): Generator<number> { yield x; };\n}\n`,
      },
      'script.ts',
    );
    expect(problems).toEqual(['lib.js:1: import of "k6/experimental/browser"', 'script.ts:7: generator function']);
  });

  it('accepts getters and constructors that only compute or store values', () => {
    expect(
      problemsOf({
        'script.js': `import http from 'k6/http';
class Cart { constructor(items) { this.items = items; } get count() { return this.items.length; } add(i) { this.items.push(i); return http.get('u'); } }
export default function () { const c = new Cart([]); c.add(1); return c.count; }
`,
      }),
    ).toEqual([]);
  });
});
