/** k6's Response object: what a script reads after a request. */
import { gjsonGet } from './gjson.ts';
import type { Timings } from './transport.ts';

export interface ResponseCookie {
  name: string;
  value: string;
  domain: string;
  path: string;
  http_only: boolean;
  secure: boolean;
  max_age: number;
  expires: number;
}

export interface RequestInfo {
  method: string;
  url: string;
  headers: Record<string, string[]>;
  body: string;
  cookies: Record<string, Array<{ name: string; value: string; replace: boolean }>>;
}

export class K6Response {
  remote_ip = '';
  remote_port = 0;
  url = '';
  status = 0;
  status_text = '';
  proto = '';
  headers: Record<string, string> = {};
  cookies: Record<string, ResponseCookie[]> = {};
  body: string | ArrayBuffer | null = null;
  timings: Timings = { blocked: 0, connecting: 0, tls_handshaking: 0, sending: 0, waiting: 0, receiving: 0, duration: 0 };
  tls_version = '';
  tls_cipher_suite = '';
  ocsp = { produced_at: 0, this_update: 0, next_update: 0, revocation_reason: '', revoked_at: 0, status: '' };
  error = '';
  error_code = 0;
  request: RequestInfo = { method: '', url: '', headers: {}, body: '', cookies: {} };
  private parsed: { value: unknown } | undefined;

  json(selector?: string): unknown {
    if (this.parsed === undefined) {
      if (this.body === null) throw new Error('the body is null so we can\'t transform it to JSON - this likely was because of a request error getting the response');
      const text = typeof this.body === 'string' ? this.body : Buffer.from(this.body).toString('utf8');
      try {
        this.parsed = { value: JSON.parse(text) as unknown };
      } catch (error) {
        throw new Error(`cannot parse json due to an error: ${(error as Error).message}`);
      }
    }
    return selector === undefined ? this.parsed.value : gjsonGet(this.parsed.value, selector);
  }

  html(): never {
    throw new Error('Response.html() is not supported by the built-in engine; use --engine k6');
  }

  clickLink(): never {
    throw new Error('Response.clickLink() is not supported by the built-in engine; use --engine k6');
  }

  submitForm(): never {
    throw new Error('Response.submitForm() is not supported by the built-in engine; use --engine k6');
  }
}

/** Go's CanonicalMIMEHeaderKey: `x-replica` → `X-Replica`. */
const canonicalCache = new Map<string, string>();

export function canonicalHeader(name: string): string {
  const cached = canonicalCache.get(name);
  if (cached !== undefined) return cached;
  const out = canonicalize(name);
  if (canonicalCache.size < 10_000) canonicalCache.set(name, out);
  return out;
}

function canonicalize(name: string): string {
  let out = '';
  let upper = true;
  for (const c of name) {
    out += upper ? c.toUpperCase() : c.toLowerCase();
    upper = c === '-';
  }
  return out;
}
