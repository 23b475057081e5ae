/**
 * A minimal browser-like client for tests: keeps the cookies the load balancer and the app set, and
 * reports which replica answered. Only ever aimed at the load balancer's 127.0.0.1 port.
 */
export interface Answer {
  status: number;
  replica: string | undefined;
  body: unknown;
}

export class HttpSession {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly baseUrl: string) {
    if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(baseUrl)) throw new Error(`tests send traffic only to 127.0.0.1, not ${baseUrl}`);
  }

  async request(method: string, path: string, body?: unknown): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(5000),
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (pair && eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    const text = await response.text();
    // The app answers JSON; the load balancer's own pages (503 when no server is up) are HTML.
    const json = (response.headers.get('content-type') ?? '').includes('json');
    const parsed = text === '' ? undefined : json ? (JSON.parse(text) as unknown) : text;
    return { status: response.status, replica: response.headers.get('x-replica') ?? undefined, body: parsed };
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  /** Keeps only the app's session cookie: what a client that lost the load balancer's cookie sends. */
  forget(name: string): void {
    this.cookies.delete(name);
  }
}
