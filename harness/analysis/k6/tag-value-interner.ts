import { FNV_OFFSET, fnvStep } from './bytes.ts';

/** Past this many distinct values the cache starts over, so it cannot grow without bound. */
const MAX_ENTRIES = 65_536;

/**
 * Turns tag values (replica names, session ids) into strings without decoding the same bytes again
 * and again: a value repeats on every request of its session, and decoding a few bytes through
 * Buffer#toString costs more than the rest of the line. Values are found by hash and confirmed byte
 * by byte, so a collision only costs a decode. Non-ASCII values are decoded every time.
 */
export class TagValueInterner {
  private readonly byHash = new Map<number, string>();

  get(bytes: Buffer, start: number, end: number): string {
    let hash = FNV_OFFSET;
    for (let i = start; i < end; i++) hash = fnvStep(hash, bytes[i] ?? 0);
    const known = this.byHash.get(hash);
    if (known !== undefined && sameAscii(known, bytes, start, end)) return known;
    const decoded = bytes.toString('utf8', start, end);
    if (this.byHash.size >= MAX_ENTRIES) this.byHash.clear();
    this.byHash.set(hash, decoded);
    return decoded;
  }
}

function sameAscii(text: string, bytes: Uint8Array, start: number, end: number): boolean {
  if (text.length !== end - start) return false;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) !== bytes[start + i]) return false;
  }
  return true;
}
