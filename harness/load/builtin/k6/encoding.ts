/** `k6/encoding`: base64 in the std / rawstd / url / rawurl flavours k6 offers. */
function toBytes(input: unknown): Buffer {
  if (typeof input === 'string') return Buffer.from(input, 'utf8');
  if (input instanceof ArrayBuffer) return Buffer.from(input);
  if (ArrayBuffer.isView(input)) return Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  return Buffer.from(String(input), 'utf8');
}

export function createEncodingModule(): Record<string, unknown> {
  const b64encode = (input: unknown, encoding?: unknown): string => {
    const bytes = toBytes(input);
    const enc = String(encoding ?? 'std');
    let out = bytes.toString(enc.includes('url') ? 'base64url' : 'base64');
    if (enc === 'url') out = out.padEnd(Math.ceil(out.length / 4) * 4, '=');
    if (enc === 'rawstd') out = out.replace(/=+$/, '');
    return out;
  };
  const b64decode = (input: unknown, encoding?: unknown, format?: unknown): string | ArrayBuffer => {
    const enc = String(encoding ?? 'std');
    const bytes = Buffer.from(String(input), enc.includes('url') ? 'base64url' : 'base64');
    if (format === 's') return bytes.toString('utf8');
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  };
  const api = { b64encode, b64decode };
  return { ...api, default: api };
}
