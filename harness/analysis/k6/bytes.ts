/** Small helpers for reading ASCII structure out of a byte buffer in place. */

/** Whether `expected` occurs in `bytes` at `start`. */
export function startsWithBytes(bytes: Uint8Array, start: number, expected: Uint8Array): boolean {
  if (start + expected.length > bytes.length) return false;
  for (let i = 0; i < expected.length; i++) {
    if (bytes[start + i] !== expected[i]) return false;
  }
  return true;
}

export function ascii(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'latin1'));
}

/** 32-bit FNV-1a: a cheap hash computed while bytes are scanned anyway. */
export const FNV_OFFSET = 0x811c9dc5 | 0;
export function fnvStep(hash: number, byte: number): number {
  return Math.imul(hash ^ byte, 0x01000193);
}
