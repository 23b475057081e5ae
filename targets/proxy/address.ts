/**
 * `host:port` addresses as Toxiproxy writes them: `127.0.0.1:8080`, `[::1]:8080`, `redis:6379`, and
 * for listening `:8080` or `[::]:8080` (every interface) and port 0 (any free port).
 */
export interface HostPort {
  /** '' = every interface (listen only). */
  host: string;
  port: number;
}

export function parseHostPort(text: string): HostPort | undefined {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]\s]*)):(\d{1,5})$/.exec(text);
  if (match === null) return undefined;
  const port = Number(match[3]);
  if (port > 65535) return undefined;
  return { host: match[1] ?? match[2] ?? '', port };
}

export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function sameHostPort(a: string, b: string): boolean {
  const left = parseHostPort(a);
  const right = parseHostPort(b);
  if (left === undefined || right === undefined) return a === b;
  return everyInterface(left.host) === everyInterface(right.host) && left.port === right.port;
}

/** `:8080`, `0.0.0.0:8080` and `[::]:8080` all name every interface (Node listens on :: for the first). */
function everyInterface(host: string): string {
  return host === '' || host === '0.0.0.0' || host === '::' ? '' : host;
}
