/** `k6/crypto`: hashes, HMAC and random bytes over node:crypto (hex / base64 / binary outputs). */
import { createHash, createHmac, randomBytes as nodeRandomBytes } from 'node:crypto';

type Encoding = 'hex' | 'base64' | 'base64url' | 'binary';

function output(digest: Buffer, encoding: unknown): string | ArrayBuffer {
  const enc = String(encoding ?? 'binary');
  if (enc === 'hex' || enc === 'base64') return digest.toString(enc);
  if (enc === 'base64url' || enc === 'base64rawurl') return digest.toString('base64url');
  if (enc === 'base64raw') return digest.toString('base64').replace(/=+$/, '');
  return digest.buffer.slice(digest.byteOffset, digest.byteOffset + digest.byteLength) as ArrayBuffer;
}

function data(input: unknown): Buffer {
  if (input instanceof ArrayBuffer) return Buffer.from(input);
  if (ArrayBuffer.isView(input)) return Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  return Buffer.from(String(input), 'utf8');
}

const ALGORITHMS: Record<string, string> = { md4: 'md4', md5: 'md5', sha1: 'sha1', sha256: 'sha256', sha384: 'sha384', sha512: 'sha512', sha512_224: 'sha512-224', sha512_256: 'sha512-256', ripemd160: 'ripemd160' };

export function createCryptoModule(): Record<string, unknown> {
  const api: Record<string, unknown> = {
    hmac: (alg: unknown, secret: unknown, input: unknown, encoding: unknown) =>
      output(createHmac(ALGORITHMS[String(alg)] ?? String(alg), data(secret)).update(data(input)).digest(), encoding as Encoding),
    randomBytes: (n: unknown) => {
      const b = nodeRandomBytes(Number(n));
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
    },
    createHash: (alg: unknown) => {
      const h = createHash(ALGORITHMS[String(alg)] ?? String(alg));
      return { update: (input: unknown) => void h.update(data(input)), digest: (enc: unknown) => output(h.digest(), enc) };
    },
  };
  for (const [name, alg] of Object.entries(ALGORITHMS)) {
    api[name] = (input: unknown, encoding: unknown) => output(createHash(alg).update(data(input)).digest(), encoding);
  }
  return { ...api, default: { ...api } };
}
