/**
 * Checks that a bundle is ES2017, the newest syntax every k6 from v0.4x reads. esbuild lowers most
 * newer syntax for target es2017, but leaves some through (a dynamic `import()`, for one): those
 * fail here, before k6 starts, naming the construct and its line in the bundle.
 */
import { parse } from 'acorn';

export interface Es2017Problem {
  line: number;
  /** 1-based, as editors count. */
  column: number;
  /** What was found, e.g. "a dynamic import()", or the parser's message. */
  construct: string;
  /** The bundle's line, trimmed, for the message. */
  excerpt: string;
}

/** Newer syntax a k6 script may contain, by how its text starts at the parser's error position. */
const CONSTRUCTS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^import\s*\(/, 'a dynamic import()'],
  [/^import\s*\.\s*meta\b/, 'import.meta'],
  [/^await\b/, 'a top-level await'],
  [/^\?\?/, 'the ?? operator'],
  [/^\?\./, 'optional chaining (?.)'],
  [/^#[A-Za-z_$]/, 'a private class member'],
  [/^\d[\d_]*n\b/, 'a BigInt literal'],
  [/^\.\.\./, 'object rest/spread'],
];

const EXCERPT_MAX = 120;

/** The first construct newer than ES2017 in `code` (an ES module), or undefined if there is none. */
export function findNonEs2017(code: string): Es2017Problem | undefined {
  try {
    parse(code, { ecmaVersion: 2017, sourceType: 'module' });
    return undefined;
  } catch (error) {
    const { pos, loc, message } = error as { pos?: number; loc?: { line: number; column: number }; message: string };
    if (pos === undefined || loc === undefined) throw error;
    const rest = code.slice(pos);
    const named = CONSTRUCTS.find(([pattern]) => pattern.test(rest))?.[1];
    const line = code.split('\n')[loc.line - 1]?.trim() ?? '';
    return {
      line: loc.line,
      column: loc.column + 1,
      // acorn's message ends with its own "(line:column)"; ours carries the position.
      construct: named ?? message.replace(/\s*\(\d+:\d+\)$/, ''),
      excerpt: line.length > EXCERPT_MAX ? `${line.slice(0, EXCERPT_MAX)}…` : line,
    };
  }
}
