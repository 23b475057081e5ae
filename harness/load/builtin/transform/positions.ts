/**
 * Positions in a compiled module mapped back to the script's own file. A module's code is rewritten
 * twice before V8 sees it: esbuild strips TypeScript (a .ts script), then the async transform
 * inserts text (`async `, `(await `, the module wrapper on line 1 …), so a stack frame's line and
 * column point into code the user never wrote. Each step has a source map; a position goes back
 * through the transform's map, then through esbuild's.
 */

/** Decoded source-map mappings: per generated line, segments `[genColumn, source, line, column, name?]`. */
export type Mappings = ReadonlyArray<ReadonlyArray<readonly number[]>>;

/** A position in a file: line 1-based, column 0-based (as source maps and k6's stack traces count). */
export interface Position {
  line: number;
  column: number;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]));

/** Decodes a source map's `mappings` string (base64 VLQ, fields relative to the previous segment). */
export function decodeMappings(encoded: string): number[][][] {
  const lines: number[][][] = [];
  const state = [0, 0, 0, 0, 0];
  for (const line of encoded.split(';')) {
    const segments: number[][] = [];
    state[0] = 0;
    for (const text of line.split(',')) {
      if (text === '') continue;
      const fields: number[] = [];
      let value = 0;
      let shift = 0;
      for (const c of text) {
        const digit = DIGIT.get(c);
        if (digit === undefined) throw new Error(`invalid source map character ${JSON.stringify(c)}`);
        value += (digit & 31) << shift;
        if (digit & 32) {
          shift += 5;
          continue;
        }
        const field = fields.length;
        state[field] = state[field]! + (value & 1 ? -(value >>> 1) : value >>> 1);
        fields.push(state[field]!);
        value = 0;
        shift = 0;
      }
      segments.push(fields);
    }
    lines.push(segments);
  }
  return lines;
}

/**
 * The original position of a generated one (line 1-based, column 0-based): the segment at or before
 * the column on that line. Text the transform inserted (`(await __rt.cb(` …) has no segment of its
 * own: when the segments around it are two adjacent original characters, the position is the one
 * the insertion precedes; otherwise it lies in replaced text (`open` → `__rt.open`), whose segment
 * is the replaced text's start.
 */
export function originalPosition(mappings: Mappings, line: number, column: number): Position | undefined {
  const segments = mappings[line - 1];
  if (!segments || segments.length === 0) return undefined;
  let lo = 0;
  let hi = segments.length - 1;
  let found = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (segments[mid]![0]! <= column) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  let segment = segments[found]!;
  const next = segments[found + 1];
  if (segment[0] !== column && next && next.length >= 4 && segment.length >= 4 && next[2] === segment[2] && next[3] === segment[3]! + 1) segment = next;
  if (segment.length < 4) return undefined;
  return { line: segment[2]! + 1, column: segment[3]! };
}

/** Maps through each step in turn (the last transform first); undefined when a step has no mapping. */
export function composePositions(steps: ReadonlyArray<() => Mappings>): (line: number, column: number) => Position | undefined {
  return (line, column) => {
    let at: Position | undefined = { line, column };
    for (const step of steps) {
      at = originalPosition(step(), at.line, at.column);
      if (!at) return undefined;
    }
    return at;
  };
}
