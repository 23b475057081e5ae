/** A small HTTP client for tests: 127.0.0.1 only, a timeout on every request. */
import { request as httpRequest, type Agent, type IncomingHttpHeaders } from 'node:http';

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** Parsed body when the answer is JSON, else undefined. */
  json: unknown;
  /** Whether the request went over a kept-alive connection. */
  reusedSocket: boolean;
}

export interface RequestOptions {
  /** An object is sent as JSON; a string is sent as it is. */
  body?: unknown;
  cookie?: string;
  agent?: Agent | false;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export function request(port: number, method: string, path: string, options: RequestOptions = {}): Promise<HttpResponse> {
  const payload = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const headers: Record<string, string> = { ...options.headers };
  if (payload !== undefined) {
    headers['content-type'] ??= 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  if (options.cookie !== undefined) headers.cookie = options.cookie;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method, path, headers, agent: options.agent ?? false, timeout: options.timeoutMs ?? 5000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const isJson = (res.headers['content-type'] ?? '').startsWith('application/json');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: isJson && text !== '' ? (JSON.parse(text) as unknown) : undefined,
            reusedSocket: req.reusedSocket,
          });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** `sid=…` from a login answer, ready to send back as a Cookie header. */
export function sessionCookie(response: HttpResponse): string {
  const setCookie = response.headers['set-cookie']?.[0];
  if (setCookie === undefined) throw new Error(`no Set-Cookie in ${response.status} ${response.text}`);
  const pair = setCookie.split(';')[0];
  if (pair === undefined || !pair.startsWith('sid=')) throw new Error(`unexpected Set-Cookie ${setCookie}`);
  return pair;
}

/** Polls until check() passes or the time is up; returns whether it passed. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, everyMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; attempt < 10_000 && Date.now() < deadline; attempt += 1) {
    try {
      if (await check()) return true;
    } catch {
      // not yet
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return false;
}
