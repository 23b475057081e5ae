/**
 * JSON encoding as k6's Go code writes it, so that our NDJSON is byte-compatible with `k6 run --out json`:
 * easyjson for envelopes (HTML-escaping strings, floats in strconv 'g' shortest form) and encoding/json
 * without HTML escaping for threshold sources.
 */

const HEX = '0123456789abcdef';
const NEEDS_ESCAPE_HTML = /[\u0000-\u001f"\\<>&\u2028\u2029\ud800-\udfff]/;
const NEEDS_ESCAPE_PLAIN = /[\u0000-\u001f"\\\u2028\u2029\ud800-\udfff]/;

/**
 * A JSON string literal. `escapeHtml` (easyjson's default, used for sample envelopes) also escapes
 * `<`, `>` and `&` as \u003c etc.; lone surrogates become \ufffd as Go's invalid UTF-8 does.
 */
export function goJsonString(value: string, escapeHtml = true): string {
  if (!(escapeHtml ? NEEDS_ESCAPE_HTML : NEEDS_ESCAPE_PLAIN).test(value)) return `"${value}"`;
  let out = '"';
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    let replacement: string | undefined;
    if (c < 0x20) {
      replacement = c === 9 ? '\\t' : c === 10 ? '\\n' : c === 13 ? '\\r' : `\\u00${HEX[c >> 4]}${HEX[c & 15]}`;
    } else if (c === 0x22) {
      replacement = '\\"';
    } else if (c === 0x5c) {
      replacement = '\\\\';
    } else if (escapeHtml && (c === 0x3c || c === 0x3e || c === 0x26)) {
      replacement = `\\u00${HEX[c >> 4]}${HEX[c & 15]}`;
    } else if (c === 0x2028 || c === 0x2029) {
      replacement = c === 0x2028 ? '\\u2028' : '\\u2029';
    } else if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      replacement = '\\ufffd';
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      replacement = '\\ufffd';
    }
    if (replacement !== undefined) {
      out += value.slice(start, i) + replacement;
      start = i + 1;
    }
  }
  return `${out}${value.slice(start)}"`;
}

/**
 * A float as Go's strconv.AppendFloat(v, 'g', -1, 64) writes it (what easyjson uses): the shortest
 * round-trip digits, in exponent form ("1e+06", "1.5e-05") when the exponent is < -4 or >= 6.
 * JavaScript's shortest digits are the same; only the layout differs, and only outside [1e-4, 1e6).
 */
export function goFloat(value: number): string {
  const magnitude = Math.abs(value);
  if ((magnitude >= 1e-4 && magnitude < 1e6) || magnitude === 0) {
    return magnitude === 0 && Object.is(value, -0) ? '-0' : String(value);
  }
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf';
  const exponential = value.toExponential();
  const at = exponential.indexOf('e');
  const mantissa = exponential.slice(0, at);
  const exponent = Number(exponential.slice(at + 1));
  const digits = Math.abs(exponent);
  return `${mantissa}e${exponent < 0 ? '-' : '+'}${digits < 10 ? '0' : ''}${digits}`;
}

/** Encoded `"key":` prefixes: tag keys come from a small set, values vary. */
const keyPrefixes = new Map<string, string>();
const MAX_CACHED_KEYS = 4096;

function keyPrefix(key: string, escapeHtml: boolean): string {
  if (!escapeHtml) return `${goJsonString(key, false)}:`;
  let prefix = keyPrefixes.get(key);
  if (prefix === undefined) {
    prefix = `${goJsonString(key)}:`;
    if (keyPrefixes.size < MAX_CACHED_KEYS) keyPrefixes.set(key, prefix);
  }
  return prefix;
}

/** A flat string map as a JSON object with sorted keys (k6 writes tag sets in key order). */
export function goJsonStringMap(map: Readonly<Record<string, string>>, escapeHtml = true): string {
  const keys = Object.keys(map);
  if (keys.length === 0) return '{}';
  // Engines usually build tags in key order already; sort only when they did not.
  for (let i = 1; i < keys.length; i++) {
    if ((keys[i - 1] as string) > (keys[i] as string)) {
      keys.sort();
      break;
    }
  }
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (i > 0) out += ',';
    out += keyPrefix(key, escapeHtml) + goJsonString(map[key] ?? '', escapeHtml);
  }
  return `${out}}`;
}
