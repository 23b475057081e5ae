import { SourceMap } from 'node:module';
import MagicString from 'magic-string';
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { composePositions, decodeMappings, originalPosition } from './positions.ts';

describe('positions mapped back through source maps', () => {
  it("decodes esbuild's mappings as Node's own SourceMap reads them", () => {
    const ts = 'interface A {\n  a: number;\n}\ntype B = string;\nexport function f(x: A): number {\n  return x.a + 1;\n}\n';
    const out = transformSync(ts, { loader: 'ts', format: 'esm', sourcemap: 'external', sourcefile: 's.ts' });
    const raw = JSON.parse(out.map) as { mappings: string };
    const decoded = decodeMappings(raw.mappings);
    const reference = new SourceMap(raw as ConstructorParameters<typeof SourceMap>[0]);
    decoded.forEach((segments, line) => {
      for (const [column, , originalLine, originalColumn] of segments) {
        expect(reference.findEntry(line, column!)).toMatchObject({ originalLine, originalColumn });
      }
    });
    // `return` is on line 6 of the TypeScript, line 2 of esbuild's output.
    const generatedLine = out.code.split('\n').findIndex((l) => l.includes('return')) + 1;
    expect(originalPosition(decoded, generatedLine, out.code.split('\n')[generatedLine - 1]!.indexOf('return'))).toEqual({ line: 6, column: 2 });
  });

  it('maps inserted text to what it precedes, replaced text to its start, and composes steps', () => {
    const code = 'function f() {\n  open(g());\n}\n';
    const s = new MagicString(code);
    s.prepend('(async function () { ');
    s.appendRight(code.indexOf('g()'), '(await ');
    s.overwrite(code.indexOf('open'), code.indexOf('open') + 4, '__rt.open', { contentOnly: true });
    const mappings = s.generateDecodedMap({ hires: true }).mappings;
    const out = s.toString().split('\n');
    // Line 1: the wrapper maps to where the original code starts.
    expect(originalPosition(mappings, 1, out[0]!.lastIndexOf('function'))).toEqual({ line: 1, column: 0 });
    expect(originalPosition(mappings, 2, out[1]!.indexOf('await'))).toEqual({ line: 2, column: 7 });
    expect(originalPosition(mappings, 2, out[1]!.indexOf('g()'))).toEqual({ line: 2, column: 7 });
    expect(originalPosition(mappings, 2, out[1]!.indexOf('open'))).toEqual({ line: 2, column: 2 });
    const twice = composePositions([() => mappings, () => mappings]);
    expect(twice(2, out[1]!.indexOf('g()'))).toEqual(originalPosition(mappings, 2, 7));
  });
});
