/**
 * A scenario file's bytes → its text: UTF-8 only (a byte order mark is dropped). Decoding anything
 * else "leniently" turns a Latin-1 "é" into U+FFFD without a word, and UTF-16 into text full of
 * NULs that fails with a baffling message; so the first byte that is not UTF-8 is named instead.
 * Then only what YAML allows in a document: no control characters besides tab and line breaks
 * (the YAML library even uses some of them as markers of its own).
 */
import { isUtf8 } from 'node:buffer';
import { ScenarioError } from './errors.ts';

const UTF8 = 'UTF-8 text (save the file as UTF-8)';
/** YAML 1.2's printable characters (c-printable). */
const NOT_PRINTABLE = /[^\t\n\r\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

export function decodeScenarioText(bytes: Uint8Array, shown: string): string {
  const wide = wideEncoding(bytes);
  if (wide !== undefined) throw new ScenarioError(shown, [`${shown}: ${wide} text is not allowed; expected ${UTF8}`]);
  if (!isUtf8(bytes)) {
    const at = firstInvalidByte(bytes);
    const where = at < 0 ? shown : `${shown}:${bytePosition(bytes, at)}`;
    const byte = at < 0 ? 'a byte' : `byte 0x${(bytes[at] ?? 0).toString(16).toUpperCase().padStart(2, '0')}`;
    throw new ScenarioError(shown, [`${where}: ${byte} is not allowed; expected ${UTF8}`]);
  }
  let text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  const control = NOT_PRINTABLE.exec(text);
  if (control !== null) {
    const code = (control[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    throw new ScenarioError(shown, [
      `${shown}:${textPosition(text, control.index)}: control character U+${code} is not allowed; expected printable text (tab, line breaks and printable Unicode)`,
    ]);
  }
  return text;
}

/** "UTF-16" or "UTF-32" when the bytes say so: a byte order mark, or ASCII with a NUL beside every character. */
function wideEncoding(bytes: Uint8Array): string | undefined {
  const [a, b, c, d] = bytes;
  if ((a === 0xff && b === 0xfe && c === 0 && d === 0) || (a === 0 && b === 0 && c === 0xfe && d === 0xff)) return 'UTF-32';
  if ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff)) return 'UTF-16';
  const sample = bytes.subarray(0, 512);
  let evenNuls = 0;
  let oddNuls = 0;
  sample.forEach((byte, i) => {
    if (byte !== 0) return;
    if (i % 2 === 0) evenNuls++;
    else oddNuls++;
  });
  const pairs = Math.floor(sample.length / 2);
  const mostly = (nuls: number): boolean => pairs > 0 && nuls >= pairs / 2;
  return (mostly(oddNuls) && evenNuls === 0) || (mostly(evenNuls) && oddNuls === 0) ? 'UTF-16' : undefined;
}

/** The offset of the first byte that does not start a well-formed UTF-8 sequence, or -1. */
export function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] ?? 0;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const length = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    // The second byte's range rules out overlong forms, surrogates and code points above U+10FFFF.
    const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k];
      if (next === undefined || next < (k === 1 ? low : 0x80) || next > (k === 1 ? high : 0xbf)) return i;
    }
    i += length;
  }
  return -1;
}

/** `line:column` of a byte whose prefix is UTF-8, the column in characters. */
function bytePosition(bytes: Uint8Array, at: number): string {
  let line = 1;
  let column = 1;
  for (let i = 0; i < at; i++) {
    const byte = bytes[i] ?? 0;
    if (byte === 0x0a) {
      line++;
      column = 1;
    } else if (byte < 0x80 || byte >= 0xc0) column++;
  }
  return `${line}:${column}`;
}

function textPosition(text: string, index: number): string {
  const before = text.slice(0, index);
  const lineStart = before.lastIndexOf('\n') + 1;
  const line = before.split('\n').length;
  return `${line}:${[...before.slice(lineStart)].length + 1}`;
}
