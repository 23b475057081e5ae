/**
 * A cookie jar with the RFC 6265 rules k6 (Go's net/http/cookiejar) applies: host-only vs domain
 * cookies, path matching, Secure, expiry by Expires/Max-Age. One per VU, as in k6.
 */
export interface StoredCookie {
  name: string;
  value: string;
  domain: string;
  hostOnly: boolean;
  path: string;
  /** Epoch ms, or undefined for a session cookie. */
  expires: number | undefined;
  secure: boolean;
  httpOnly: boolean;
  maxAge: number | undefined;
}

export interface ParsedSetCookie {
  name: string;
  value: string;
  domain: string;
  path: string;
  expires: string;
  maxAge: number | undefined;
  secure: boolean;
  httpOnly: boolean;
}

export function parseSetCookie(header: string): ParsedSetCookie | undefined {
  const parts = header.split(';');
  const first = parts.shift() ?? '';
  const eq = first.indexOf('=');
  if (eq <= 0) return undefined;
  const cookie: ParsedSetCookie = {
    name: first.slice(0, eq).trim(),
    value: first.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1'),
    domain: '',
    path: '',
    expires: '',
    maxAge: undefined,
    secure: false,
    httpOnly: false,
  };
  for (const part of parts) {
    const at = part.indexOf('=');
    const key = (at < 0 ? part : part.slice(0, at)).trim().toLowerCase();
    const value = at < 0 ? '' : part.slice(at + 1).trim();
    if (key === 'domain') cookie.domain = value.replace(/^\./, '').toLowerCase();
    else if (key === 'path') cookie.path = value;
    else if (key === 'expires') cookie.expires = value;
    else if (key === 'max-age' && /^-?\d+$/.test(value)) cookie.maxAge = Number(value);
    else if (key === 'secure') cookie.secure = true;
    else if (key === 'httponly') cookie.httpOnly = true;
  }
  return cookie;
}

function defaultPath(url: URL): string {
  const p = url.pathname;
  if (!p.startsWith('/') || p.lastIndexOf('/') === 0) return '/';
  return p.slice(0, p.lastIndexOf('/'));
}

function domainMatches(host: string, domain: string): boolean {
  return host === domain || (host.endsWith(`.${domain}`) && !/^\d+\.\d+\.\d+\.\d+$/.test(host));
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath.charAt(cookiePath.length) === '/';
}

export class CookieStore {
  private cookies: StoredCookie[] = [];

  /** Stores a cookie set by a response (or by jar.set) for `url`; returns false when rejected. */
  store(url: URL, c: ParsedSetCookie, time = Date.now()): boolean {
    const host = url.hostname.toLowerCase();
    let domain = host;
    let hostOnly = true;
    if (c.domain !== '' && c.domain !== host) {
      if (!domainMatches(host, c.domain)) return false;
      domain = c.domain;
      hostOnly = false;
    }
    let expires: number | undefined;
    if (c.maxAge !== undefined) expires = c.maxAge <= 0 ? 0 : time + c.maxAge * 1000;
    else if (c.expires !== '') {
      const parsed = Date.parse(c.expires);
      if (!Number.isNaN(parsed)) expires = parsed;
    }
    const cookiePath = c.path.startsWith('/') ? c.path : defaultPath(url);
    this.cookies = this.cookies.filter((x) => !(x.name === c.name && x.domain === domain && x.path === cookiePath));
    if (expires !== undefined && expires <= time) return true;
    this.cookies.push({ name: c.name, value: c.value, domain, hostOnly, path: cookiePath, expires, secure: c.secure, httpOnly: c.httpOnly, maxAge: c.maxAge });
    return true;
  }

  /** Cookies to send to `url`, longest path first (RFC 6265 5.4). */
  forUrl(url: URL, time = Date.now()): StoredCookie[] {
    const host = url.hostname.toLowerCase();
    const https = url.protocol === 'https:' || url.protocol === 'wss:';
    this.cookies = this.cookies.filter((c) => c.expires === undefined || c.expires > time);
    return this.cookies
      .filter((c) => (c.hostOnly ? c.domain === host : domainMatches(host, c.domain)) && pathMatches(url.pathname || '/', c.path) && (!c.secure || https))
      .sort((a, b) => b.path.length - a.path.length);
  }

  /** Forgets every cookie (k6 resets a VU's default jar at each iteration). */
  reset(): void {
    this.cookies = [];
  }

  clear(url: URL): void {
    const host = url.hostname.toLowerCase();
    this.cookies = this.cookies.filter((c) => !(c.hostOnly ? c.domain === host : domainMatches(host, c.domain)));
  }

  delete(url: URL, name: string): void {
    const matching = new Set(this.forUrl(url).filter((c) => c.name === name));
    this.cookies = this.cookies.filter((c) => !matching.has(c));
  }
}
