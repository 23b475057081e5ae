/**
 * HAProxy's own counters: what it received and what each server was sent, exact (no sampling, no
 * log line to lose). `lb-counters.ndjson` holds one snapshot per line, taken at each fault, whenever
 * a server slot loses or changes its address (so a slot's totals can be split between the replicas
 * that held it), and at the end of the trial. Counters are totals since the load balancer started.
 */

/** Responses by status class, as HAProxy counts them (`hrsp_*`). */
export interface LbResponseCounts {
  '1xx': number;
  '2xx': number;
  '3xx': number;
  '4xx': number;
  '5xx': number;
  other: number;
}

export interface LbFrontendCounters {
  /** HTTP requests received from clients (`req_tot`). */
  requests: number;
  responses: LbResponseCounts;
  /** Requests HAProxy could not parse or that timed out before being complete (`ereq`). */
  requestErrors: number;
  /** Client connections accepted (`conn_tot`). */
  connections: number;
}

export interface LbTrafficCounters {
  /** HTTP requests sent (`req_tot`; for a server: the requests that were sent to it). */
  requests: number;
  responses: LbResponseCounts;
  /** Connections that failed to establish (`econ`): refused, or timed out (`timeout connect`). */
  connectionErrors: number;
  /** Responses that failed: closed or reset by the server, or timed out (`eresp`). */
  responseErrors: number;
  /** Connection attempts retried (`wretr`) and requests sent to another server for it (`wredis`). */
  retries: number;
  redispatches: number;
  /** Transfers aborted by the client (`cli_abrt`) or by the server (`srv_abrt`). */
  clientAborts: number;
  serverAborts: number;
}

export interface LbServerCounters extends LbTrafficCounters {
  slot: string;
  /** The slot's address at the snapshot, when it had one. */
  address: string | null;
  /** The replica holding that address at the snapshot (mapped by the harness), when known. */
  replica: string | null;
  /** HAProxy's status word: UP, DOWN, MAINT, "MAINT (resolution)", … */
  status: string;
}

/** A log target (`sink`) and how many lines it dropped: stdout drops when its pipe is full. */
export interface LbLogSink {
  name: string;
  type: string;
  dropped: number;
}

export interface LbCountersSnapshot {
  /** Epoch ms when HAProxy answered. */
  time: number;
  /** Why it was taken: `fault` (after fault `faultIndex`), `slot` (a slot lost or changed its address), `end`. */
  reason: 'fault' | 'slot' | 'end';
  faultIndex?: number;
  action?: string;
  frontend: LbFrontendCounters;
  backend: LbTrafficCounters;
  servers: LbServerCounters[];
  logSinks: LbLogSink[];
  /** Lines the harness has received from HAProxy's event ring so far, and access lines among them. */
  streamedLines?: number;
  streamedAccessLines?: number;
}

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
