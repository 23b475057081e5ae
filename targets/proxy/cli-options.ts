/**
 * The server's command line, with Toxiproxy's flag names (`-host`, `-port`, `-config`; one or two
 * dashes, `-flag value` or `-flag=value`). Pure, so it is unit-tested; main.ts prints the problem
 * and exits 2.
 */
export interface CliOptions {
  host: string;
  port: number;
  /** A JSON file of proxies to populate at start (Toxiproxy's `-config`). */
  config: string | undefined;
}

export const DEFAULT_API_PORT = 8474;
/**
 * Toxiproxy's default is "localhost"; Node may resolve that to ::1 only, so loopback is named.
 * In a container, pass -host 0.0.0.0.
 */
export const DEFAULT_API_HOST = '127.0.0.1';

export const USAGE = `usage: node proxy.cjs [-host <address>] [-port <port>] [-config <file.json>]
  -host    address the HTTP API listens on (default ${DEFAULT_API_HOST})
  -port    port of the HTTP API (default ${DEFAULT_API_PORT}; 0 = any free port)
  -config  JSON array of proxies ({name, listen, upstream, enabled}) to create at start`;

export type CliResult = { ok: true; options: CliOptions } | { ok: false; help: boolean; error: string };

export function parseCliOptions(argv: readonly string[]): CliResult {
  const options: CliOptions = { host: DEFAULT_API_HOST, port: DEFAULT_API_PORT, config: undefined };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '-h' || arg === '-help' || arg === '--help') return { ok: false, help: true, error: USAGE };
    const match = /^--?(host|port|config)(?:=(.*))?$/.exec(arg);
    if (match === null) return { ok: false, help: false, error: `${arg}: unknown argument\n${USAGE}` };
    const flag = match[1] ?? '';
    let value = match[2];
    if (value === undefined) {
      value = argv[i + 1];
      i += 1;
    }
    if (value === undefined || value === '') return { ok: false, help: false, error: `-${flag}: a value is required\n${USAGE}` };
    if (flag === 'host') options.host = value;
    else if (flag === 'config') options.config = value;
    else {
      const port = /^\d+$/.test(value) ? Number(value) : Number.NaN;
      if (!(port >= 0 && port <= 65535)) return { ok: false, help: false, error: `-port: ${JSON.stringify(value)} is not allowed; expected an integer from 0 to 65535` };
      options.port = port;
    }
  }
  return { ok: true, options };
}
