import type { LbFrontendCounters, LbLogSink, LbResponseCounts, LbTrafficCounters } from '../core/run-files/index.ts';

/**
 * HAProxy's counters read from its runtime API. A snapshot of them has the shape lb-counters.ndjson
 * records (harness/core/run-files/lb-counters.ts says what each counter is).
 */

export interface ParsedStats {
  frontend: LbFrontendCounters | undefined;
  backend: LbTrafficCounters | undefined;
  servers: Array<LbTrafficCounters & { slot: string; address: string | null; status: string }>;
}

/** `show stat` (CSV) for one frontend and its backend. */
export function parseStats(csv: string, frontend: string, backend: string): ParsedStats {
  const lines = csv.split('\n');
  const header = lines.find((line) => line.startsWith('# pxname'));
  const result: ParsedStats = { frontend: undefined, backend: undefined, servers: [] };
  if (!header) return result;
  const columns = header.slice(2).split(',');
  for (const line of lines) {
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(',');
    const text = (name: string): string => fields[columns.indexOf(name)] ?? '';
    const count = (name: string): number => Number(text(name) || 0);
    const responses: LbResponseCounts = {
      '1xx': count('hrsp_1xx'),
      '2xx': count('hrsp_2xx'),
      '3xx': count('hrsp_3xx'),
      '4xx': count('hrsp_4xx'),
      '5xx': count('hrsp_5xx'),
      other: count('hrsp_other'),
    };
    const traffic = (): LbTrafficCounters => ({
      requests: count('req_tot'),
      responses,
      connectionErrors: count('econ'),
      responseErrors: count('eresp'),
      retries: count('wretr'),
      redispatches: count('wredis'),
      clientAborts: count('cli_abrt'),
      serverAborts: count('srv_abrt'),
    });
    const proxy = text('pxname');
    const name = text('svname');
    if (proxy === frontend && name === 'FRONTEND') {
      result.frontend = { requests: count('req_tot'), responses, requestErrors: count('ereq'), connections: count('conn_tot') };
    } else if (proxy === backend && name === 'BACKEND') {
      result.backend = traffic();
    } else if (proxy === backend) {
      const addr = text('addr');
      result.servers.push({ slot: name, address: addr === '' ? null : addr.replace(/:\d+$/, ''), status: text('status'), ...traffic() });
    }
  }
  return result;
}

// `    stdout     : type=fd, 12 dropped, standard output (fd#1)`
const SINK_LINE = /^\s+(\S+)\s+: type=(\w+), (\d+) dropped/;

/** `show events` without arguments: every log target with its count of dropped lines. */
export function parseLogSinks(text: string): LbLogSink[] {
  const sinks: LbLogSink[] = [];
  for (const line of text.split('\n')) {
    const match = SINK_LINE.exec(line);
    if (match?.[1] && match[2]) sinks.push({ name: match[1], type: match[2], dropped: Number(match[3]) });
  }
  return sinks;
}
