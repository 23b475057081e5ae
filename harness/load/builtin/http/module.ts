/**
 * k6/http for one VU: request/get/post/…/batch, cookies, redirects, expected statuses, and the
 * http_req_* samples with k6's tags. Every call is async here; the transform awaits it, so the
 * script sees k6's synchronous API.
 */
import type { Tags } from '../../contract.ts';
import { parseK6Duration } from '../../metrics/go-time.ts';
import type { ModuleVu } from '../k6/module-vu.ts';
import { CookieStore, parseSetCookie } from './cookies.ts';
import { DEFAULT_EXPECTED, ExpectedStatuses, expectedStatuses } from './expected.ts';
import { K6Response, canonicalHeader, type ResponseCookie } from './response.ts';
import type { WireRequest, WireResponse } from './transport.ts';

export const K6_USER_AGENT = 'k6/0.49.0 (https://k6.io/)';
const DEFAULT_TIMEOUT_MS = 60_000;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** A jar object as scripts see it (`http.cookieJar()`, `new http.CookieJar()`). */
export class CookieJar {
  constructor(readonly store: CookieStore = new CookieStore()) {}
  cookiesForURL(url: string): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const c of this.store.forUrl(new URL(String(url)))) (out[c.name] ??= []).push(c.value);
    return out;
  }
  set(url: string, name: string, value: string, options: Record<string, unknown> = {}): void {
    const u = new URL(String(url));
    const maxAge = options['max_age'];
    this.store.store(u, {
      name: String(name),
      value: String(value),
      domain: typeof options['domain'] === 'string' ? options['domain'].replace(/^\./, '') : '',
      path: typeof options['path'] === 'string' ? options['path'] : '/',
      expires: typeof options['expires'] === 'string' ? options['expires'] : '',
      maxAge: typeof maxAge === 'number' ? maxAge : undefined,
      secure: options['secure'] === true,
      httpOnly: options['http_only'] === true,
    });
  }
  clear(url: string): void {
    this.store.clear(new URL(String(url)));
  }
  delete(url: string, name: string): void {
    this.store.delete(new URL(String(url)), String(name));
  }
}

/** What `http.url\`…\`` returns: the URL, and a name with the interpolations left as `${}`. */
export class TaggedURL {
  constructor(
    readonly url: string,
    readonly name: string,
  ) {}
  toString(): string {
    return this.url;
  }
}

interface Params {
  headers?: Record<string, unknown>;
  cookies?: Record<string, unknown>;
  tags?: Record<string, unknown>;
  timeout?: unknown;
  redirects?: unknown;
  responseType?: unknown;
  jar?: unknown;
  responseCallback?: unknown;
  auth?: unknown;
}

interface PreparedRequest {
  method: string;
  url: URL;
  /** The URL as the script wrote it: k6 tags the first hop with it, unnormalised. */
  urlText: string;
  nameTag: string | undefined;
  headers: Array<[string, string]>;
  body: Uint8Array | undefined;
  bodyText: string;
  params: Params;
  jar: CookieStore | undefined;
  requestCookies: Record<string, Array<{ value: string; replace: boolean }>>;
}

function encodeBody(body: unknown, headers: Array<[string, string]>): Uint8Array | undefined {
  if (body === null || body === undefined) return undefined;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (typeof body === 'object') {
    // k6 sends a plain object as an urlencoded form.
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
      if (v && typeof v === 'object' && 'data' in v) throw new Error('http.file() multipart bodies are not supported by the built-in engine; use --engine k6');
      form.append(k, String(v));
    }
    if (!headers.some(([k]) => k.toLowerCase() === 'content-type')) headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
    return Buffer.from(form.toString(), 'utf8');
  }
  return Buffer.from(String(body), 'utf8');
}

function timeoutOf(value: unknown): number {
  if (value === undefined || value === null) return DEFAULT_TIMEOUT_MS;
  const ms = typeof value === 'number' ? value : parseK6Duration(value);
  if (ms === undefined || !(ms > 0)) throw new Error(`invalid timeout: ${JSON.stringify(value)}`);
  return ms;
}

function cookieOf(c: ReturnType<typeof parseSetCookie> & object, url: URL): ResponseCookie {
  return {
    name: c.name,
    value: c.value,
    domain: c.domain || url.hostname,
    path: c.path || '/',
    http_only: c.httpOnly,
    secure: c.secure,
    max_age: c.maxAge ?? 0,
    expires: c.expires ? Date.parse(c.expires) || 0 : 0,
  };
}

export function createHttpModule(vu: ModuleVu): Record<string, unknown> {
  const defaultJar = new CookieJar(vu.jar);

  const prepare = (method: string, rawUrl: unknown, body: unknown, rawParams: unknown): PreparedRequest => {
    if (vu.phase === 'init') throw new Error('Making http requests in the init context is not supported');
    const params = (rawParams && typeof rawParams === 'object' ? rawParams : {}) as Params;
    let nameTag = params.tags && params.tags['name'] !== undefined ? String(params.tags['name']) : undefined;
    let urlText: string;
    if (rawUrl instanceof TaggedURL) {
      urlText = rawUrl.url;
      nameTag ??= rawUrl.name;
    } else {
      urlText = String(rawUrl);
    }
    let url: URL;
    try {
      url = new URL(urlText);
    } catch {
      throw new Error(`invalid URL: "${urlText}"`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`unsupported protocol scheme "${url.protocol.replace(':', '')}"`);
    if (url.protocol === 'https:') throw new Error('https requests are not supported by the built-in engine (load goes to 127.0.0.1 over HTTP); use --engine k6');
    const headers: Array<[string, string]> = [];
    let hasUserAgent = false;
    for (const [k, v] of Object.entries(params.headers ?? {})) {
      if (v === undefined || v === null) continue;
      if (k.toLowerCase() === 'user-agent') hasUserAgent = true;
      headers.push([k, String(v)]);
    }
    if (!hasUserAgent) headers.push(['User-Agent', vu.run.options.userAgent ?? K6_USER_AGENT]);
    if (url.username || url.password) {
      headers.push(['Authorization', `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`]);
      url.username = '';
      url.password = '';
    }
    const encoded = encodeBody(body, headers);
    const jarParam = params.jar;
    const jar = jarParam === null ? undefined : jarParam instanceof CookieJar ? jarParam.store : vu.jar;
    const requestCookies: PreparedRequest['requestCookies'] = {};
    for (const [name, v] of Object.entries(params.cookies ?? {})) {
      if (v && typeof v === 'object') {
        const o = v as { value?: unknown; replace?: unknown };
        (requestCookies[name] ??= []).push({ value: String(o.value ?? ''), replace: o.replace === true });
      } else {
        (requestCookies[name] ??= []).push({ value: String(v), replace: false });
      }
    }
    return {
      method,
      url,
      urlText,
      nameTag,
      headers,
      body: encoded,
      bodyText: typeof body === 'string' ? body : encoded ? Buffer.from(encoded).toString('utf8') : '',
      params,
      jar,
      requestCookies,
    };
  };

  const cookieHeader = (req: PreparedRequest, url: URL): { header: string | undefined; sent: K6Response['request']['cookies'] } => {
    const pairs: Array<[string, string]> = [];
    const sent: K6Response['request']['cookies'] = {};
    const replaced = new Set<string>();
    for (const name in req.requestCookies) if (req.requestCookies[name]!.some((c) => c.replace)) replaced.add(name);
    if (req.jar) {
      for (const c of req.jar.forUrl(url)) {
        if (replaced.has(c.name)) continue;
        pairs.push([c.name, c.value]);
        (sent[c.name] ??= []).push({ name: c.name, value: c.value, replace: false });
      }
    }
    for (const [name, list] of Object.entries(req.requestCookies)) {
      for (const c of list) {
        pairs.push([name, c.value]);
        (sent[name] ??= []).push({ name, value: c.value, replace: c.replace });
      }
    }
    return { header: pairs.length > 0 ? pairs.map(([k, v]) => `${k}=${v}`).join('; ') : undefined, sent };
  };

  const responseCallbackOf = (req: PreparedRequest): ExpectedStatuses | null => {
    if ('responseCallback' in req.params) {
      const cb = req.params.responseCallback;
      return cb instanceof ExpectedStatuses ? cb : null;
    }
    return vu.responseCallback;
  };

  /**
   * The tags of this VU's last request without per-request tags or error: a script looping on the
   * same URL gets the same tags again, and building them was the hot path's largest allocation.
   * Sharing one object is safe: nothing downstream modifies a sample's tags.
   */
  let lastTags: { base: Readonly<Record<string, string>>; method: string; url: string; status: number; expected: boolean | undefined; tags: Tags } | undefined;

  const sampleTags = (req: PreparedRequest, urlText: string, wire: WireResponse, expected: boolean | undefined): Tags => {
    const base = vu.baseTagsShared();
    const urlTag = req.nameTag ?? urlText;
    const reusable = !req.params.tags && !wire.error;
    const last = lastTags;
    if (reusable && last && last.base === base && last.method === req.method && last.url === urlTag && last.status === wire.status && last.expected === expected) {
      return last.tags;
    }
    const userTags: Record<string, string> = {};
    if (req.params.tags) for (const k of Object.keys(req.params.tags)) userTags[k] = String(req.params.tags[k]);
    const tags: Record<string, string> = {
      ...base,
      ...userTags,
      method: req.method,
      url: urlTag,
      name: req.nameTag ?? urlTag,
      status: String(wire.status),
      proto: wire.error ? '' : 'HTTP/1.1',
    };
    if (expected !== undefined) tags['expected_response'] = String(expected);
    if (wire.error) {
      tags['error'] = wire.error.message;
      tags['error_code'] = String(wire.error.code);
    } else if (wire.status >= 400) {
      tags['error_code'] = String(1000 + wire.status);
    }
    if (reusable) lastTags = { base, method: req.method, url: urlTag, status: wire.status, expected, tags };
    return tags;
  };

  const emitSamples = (req: PreparedRequest, urlText: string, wire: WireResponse, expected: boolean | undefined): void => {
    const run = vu.run;
    const frozen = sampleTags(req, urlText, wire, expected);
    const t = wire.endTime;
    const tm = wire.timings;
    run.emit('http_reqs', 1, frozen, t);
    run.emit('http_req_duration', tm.duration, frozen, t);
    run.emit('http_req_blocked', tm.blocked, frozen, t);
    run.emit('http_req_connecting', tm.connecting, frozen, t);
    run.emit('http_req_tls_handshaking', tm.tls_handshaking, frozen, t);
    run.emit('http_req_sending', tm.sending, frozen, t);
    run.emit('http_req_waiting', tm.waiting, frozen, t);
    run.emit('http_req_receiving', tm.receiving, frozen, t);
    if (expected !== undefined) run.emit('http_req_failed', expected ? 0 : 1, frozen, t);
    vu.countTraffic(wire.bytesSent, wire.bytesReceived);
  };

  const execute = async (req: PreparedRequest): Promise<K6Response> => {
    const timeoutMs = timeoutOf(req.params.timeout);
    const maxRedirects = req.params.redirects === undefined ? vu.run.options.maxRedirects ?? 10 : Number(req.params.redirects);
    const responseType = String(req.params.responseType ?? (vu.run.options.discardResponseBodies ? 'none' : 'text'));
    const callback = responseCallbackOf(req);
    let url = req.url;
    let method = req.method;
    let body = req.body;
    let redirects = 0;
    for (;;) {
      const { header, sent } = cookieHeader(req, url);
      const headers = header ? [...req.headers, ['Cookie', header] as [string, string]] : req.headers;
      const wireReq: WireRequest = { method, url, headers, body, timeoutMs };
      const wire = await vu.send(wireReq);
      const expected = callback ? !wire.error && callback.matches(wire.status) : undefined;
      emitSamples(method === req.method ? req : { ...req, method }, redirects === 0 ? req.urlText : url.href, wire, expected);
      const res = new K6Response();
      res.url = url.href;
      res.remote_ip = url.hostname.replace(/^\[|\]$/g, '');
      res.remote_port = Number(url.port || 80);
      res.timings = wire.timings;
      res.request = {
        method,
        url: url.href,
        headers: Object.fromEntries(headers.map(([k, v]) => [canonicalHeader(k), [v]])),
        body: body ? Buffer.from(body).toString('utf8') : '',
        cookies: sent,
      };
      if (wire.error) {
        res.error = wire.error.message;
        res.error_code = wire.error.code;
        if (wire.error.code !== 1050) vu.run.logger.log('warn', 'Request Failed', { error: wire.error.message });
        else vu.run.logger.log('warn', 'Request Failed', { error: `${method === 'GET' ? 'Get' : method} "${url.href}": request timeout` });
        return res;
      }
      res.status = wire.status;
      res.status_text = `${wire.status} ${wire.statusText}`;
      res.proto = 'HTTP/1.1';
      if (wire.status >= 400) res.error_code = 1000 + wire.status;
      const headerMap: Record<string, string> = {};
      const setCookies: string[] = [];
      for (const [k, v] of wire.headers) {
        const name = canonicalHeader(k);
        headerMap[name] = headerMap[name] === undefined ? v : `${headerMap[name]}, ${v}`;
        if (name === 'Set-Cookie') setCookies.push(v);
      }
      res.headers = headerMap;
      for (const raw of setCookies) {
        const parsed = parseSetCookie(raw);
        if (!parsed) continue;
        req.jar?.store(url, parsed);
        (res.cookies[parsed.name] ??= []).push(cookieOf(parsed, url));
      }
      res.body = responseType === 'none' ? null : responseType === 'binary' ? new Uint8Array(wire.body).buffer : wire.body.toString('utf8');
      const location = headerMap['Location'];
      if (REDIRECT_STATUSES.has(wire.status) && location !== undefined) {
        if (redirects >= maxRedirects) {
          if (maxRedirects > 0) vu.run.logger.log('warn', `Stopped after ${maxRedirects} redirects and returned the redirection; pass { redirects: n } in request params or set global maxRedirects option`);
          return res;
        }
        redirects++;
        url = new URL(location, url);
        if (wire.status === 303 || ((wire.status === 301 || wire.status === 302) && method === 'POST')) {
          method = 'GET';
          body = undefined;
        }
        continue;
      }
      return res;
    }
  };

  const request = async (method: unknown, url: unknown, body?: unknown, params?: unknown): Promise<K6Response> =>
    execute(prepare(String(method).toUpperCase(), url, body, params));

  const batch = async (requests: unknown): Promise<unknown> => {
    const toPrepared = (r: unknown): PreparedRequest => {
      if (typeof r === 'string' || r instanceof TaggedURL) return prepare('GET', r, undefined, undefined);
      if (Array.isArray(r)) return prepare(String(r[0] ?? 'GET').toUpperCase(), r[1], r[2], r[3]);
      const o = (r ?? {}) as { method?: unknown; url?: unknown; body?: unknown; params?: unknown };
      return prepare(String(o.method ?? 'GET').toUpperCase(), o.url, o.body, o.params);
    };
    if (Array.isArray(requests)) return Promise.all(requests.map((r) => execute(toPrepared(r))));
    const entries = Object.entries((requests ?? {}) as Record<string, unknown>);
    const results = await Promise.all(entries.map(([, r]) => execute(toPrepared(r))));
    return Object.fromEntries(entries.map(([k], i) => [k, results[i]]));
  };

  const http = {
    request,
    get: (url: unknown, params?: unknown) => request('GET', url, undefined, params),
    head: (url: unknown, params?: unknown) => request('HEAD', url, undefined, params),
    post: (url: unknown, body?: unknown, params?: unknown) => request('POST', url, body, params),
    put: (url: unknown, body?: unknown, params?: unknown) => request('PUT', url, body, params),
    patch: (url: unknown, body?: unknown, params?: unknown) => request('PATCH', url, body, params),
    del: (url: unknown, body?: unknown, params?: unknown) => request('DELETE', url, body, params),
    options: (url: unknown, body?: unknown, params?: unknown) => request('OPTIONS', url, body, params),
    /** Resolves to a promise: a script's `await http.asyncRequest(…)` works as in k6. */
    asyncRequest: (method: unknown, url: unknown, body?: unknown, params?: unknown) => request(method, url, body, params),
    batch,
    cookieJar: () => defaultJar,
    CookieJar,
    expectedStatuses,
    setResponseCallback: (cb: unknown) => {
      vu.responseCallback = cb instanceof ExpectedStatuses ? cb : null;
    },
    url: (strings: TemplateStringsArray, ...values: unknown[]) => {
      let url = '';
      let name = '';
      strings.forEach((part, i) => {
        url += part;
        name += part;
        if (i < values.length) {
          url += String(values[i]);
          name += '${}';
        }
      });
      return new TaggedURL(url, name);
    },
    file: () => {
      throw new Error('http.file() is not supported by the built-in engine; use --engine k6');
    },
    TLS_1_0: 'tls1.0',
    TLS_1_1: 'tls1.1',
    TLS_1_2: 'tls1.2',
    TLS_1_3: 'tls1.3',
    OCSP_STATUS_GOOD: 'good',
    OCSP_STATUS_REVOKED: 'revoked',
    OCSP_STATUS_UNKNOWN: 'unknown',
  };
  return { ...http, default: http };
}

export { DEFAULT_EXPECTED };
