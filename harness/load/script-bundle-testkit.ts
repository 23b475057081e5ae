/**
 * For tests of what k6 is given: what a bundle imports, read by a plain ES2017 parser (so a bundle
 * that is not ES2017 throws here), and which ES2020 operators its text still holds.
 */
import { parse, tokenizer } from 'acorn';

/** The module specifiers a bundle imports or re-exports from; throws unless it parses as ES2017. */
export function es2017Imports(code: string): string[] {
  const program = parse(code, { ecmaVersion: 2017, sourceType: 'module' });
  const sources: string[] = [];
  for (const node of program.body) {
    if ((node.type === 'ImportDeclaration' || node.type === 'ExportAllDeclaration' || node.type === 'ExportNamedDeclaration') && node.source) {
      sources.push(String(node.source.value));
    }
  }
  return sources;
}

/** `??` and `?.` tokens (not text inside strings or comments), read by a parser that knows them. */
export function es2020Operators(code: string): string[] {
  const found: string[] = [];
  for (const token of tokenizer(code, { ecmaVersion: 'latest', sourceType: 'module' })) {
    if (token.type.label === '??' || token.type.label === '?.') found.push(token.type.label);
  }
  return found;
}
