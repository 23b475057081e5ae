import { readFile } from 'node:fs/promises';
import { lbCountersFile, lbStatesFile, trialFiles, type LbCountersSnapshot } from '../core/run-files/index.ts';
import { isAccessLine, parseLbLog } from '../cluster/lb-log.ts';
import type { FaultEvent } from '../faults/fault-event.ts';

/**
 * What a trial's files say about the rig itself: the delay the rig added in each fault window, and
 * whether the load generator and the load balancer counted the same requests.
 */
export interface RigFigures {
  /** k6's own count: http_reqs points. */
  k6Requests: number;
  /** Of those, requests that got no HTTP answer at all (status 0: connection closed, reset). */
  k6Unanswered: number;
  /** HAProxy's counters at the end of the trial. */
  end: LbCountersSnapshot | undefined;
  snapshots: LbCountersSnapshot[];
  /** Access lines in lb.log for requests. */
  accessLines: number;
  /**
   * Access lines for connections closed before sending a request (`<BADREQ>`, termination `CR`):
   * HAProxy counts them as requests, k6 does not.
   */
  emptyConnections: number;
  /** Per fault of the timeline (reverts left out): see RigWindow. */
  windows: RigWindow[];
}

/**
 * The delay around one fault. `baselineP99`: k6's p99 over the 10 s before it. `worst`: the slowest
 * request of its window (fault start + window). `settledAt`: when the fault's effect on the load
 * balancer was over, plus 1 s — for a kill, the load balancer's own time of taking the replica out;
 * for a scale-out, the first response of the last new replica — and `worstUntilSettled` the slowest
 * request until then, `p99UntilSettled` their p99: where a stall of the rig's making shows (the
 * finding: 1 s on the first requests), while a machine busy with something else (two containers
 * starting on two cores, another process) may slow a few requests of any window.
 * `lbWaitMs`: the longest a request of the window waited at the load balancer for a connection
 * (queue + connect, all attempts: HAProxy's Tw + Tc), `lbRetried`: requests it retried.
 */
export interface RigWindow {
  action: string;
  startedAt: number;
  baselineRequests: number;
  baselineP99: number;
  worst: number;
  settledAt: number;
  worstUntilSettled: number;
  p99UntilSettled: number;
  lbWaitMs: number;
  lbRetried: number;
}

interface Point {
  metric: string;
  type: string;
  data: { time: string; value: number; tags: Record<string, string> };
}

const BASELINE_MS = 10_000;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** HAProxy's `%tr` (`01/Dec/2026:23:49:52.241`, UTC in the container) as epoch ms. */
export function acceptTime(text: string): number {
  const match = /^(\d\d)\/(\w{3})\/(\d{4}):(\d\d):(\d\d):(\d\d)\.(\d{3})$/.exec(text);
  if (!match) return Number.NaN;
  const [, day, month, year, hour, minute, second, ms] = match;
  return Date.UTC(Number(year), MONTHS.indexOf(month!), Number(day), Number(hour), Number(minute), Number(second), Number(ms));
}

/** Nearest-rank percentile of unsorted values. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

export async function readRigFigures(runDir: string, trial: string, events: readonly FaultEvent[], windowMs: number): Promise<RigFigures> {
  const files = trialFiles(runDir, trial);
  const durations: Array<{ time: number; ms: number }> = [];
  let k6Requests = 0;
  let k6Unanswered = 0;
  const responses: Array<{ time: number; replica: string }> = [];
  for (const raw of (await readFile(files.loadNdjson, 'utf8')).split('\n')) {
    if (!raw.includes('"type":"Point"')) continue;
    const point = JSON.parse(raw) as Point;
    if (point.metric === 'http_reqs') {
      k6Requests += point.data.value;
      if (point.data.tags.status === '0') k6Unanswered += point.data.value;
    } else if (point.metric === 'app_responses') {
      responses.push({ time: Date.parse(point.data.time), replica: point.data.tags.replica ?? '' });
    } else if (point.metric === 'http_req_duration') {
      // k6 stamps a request's points with its end.
      durations.push({ time: Date.parse(point.data.time), ms: point.data.value });
    }
  }
  const snapshots = (await lbCountersFile.read(files.lbCounters)).records;
  const access = parseLbLog(await readFile(files.lbLog, 'utf8'))
    .filter((l) => isAccessLine(l.text))
    .map((l) => JSON.parse(l.text) as { accept: string; Tw: number; Tc: number; retries: string; method: string });
  const empty = access.filter((a) => a.method === '<BADREQ>').length;
  const lbStates = (await lbStatesFile.read(files.lbStates)).records;
  const firstResponse = new Map<string, number>();
  for (const response of responses) if (!firstResponse.has(response.replica)) firstResponse.set(response.replica, response.time);
  const windows = events
    .filter((e) => !e.revert)
    .map((event): RigWindow => {
      const start = event.startedAt;
      const during = (from: number, to: number): number[] => durations.filter((d) => d.time >= from && d.time < to).map((d) => d.ms);
      const baseline = during(start - BASELINE_MS, start);
      const settled =
        event.action === 'scale-out'
          ? Math.max(...event.targets.map((t) => firstResponse.get(t) ?? Number.POSITIVE_INFINITY))
          : (lbStates.find((s) => s.time >= start && s.replica !== null && event.targets.includes(s.replica) && (s.state === 'down' || s.state === 'maint'))?.time ??
            Number.POSITIVE_INFINITY);
      const settledAt = Math.min(settled + 1000, start + windowMs);
      const atLb = access.filter((a) => {
        const accepted = acceptTime(a.accept);
        return accepted >= start && accepted < start + windowMs;
      });
      return {
        action: event.action,
        startedAt: start,
        baselineRequests: baseline.length,
        baselineP99: percentile(baseline, 99),
        worst: Math.max(...during(start, start + windowMs)),
        settledAt,
        worstUntilSettled: Math.max(...during(start, settledAt)),
        p99UntilSettled: percentile(during(start, settledAt), 99),
        lbWaitMs: Math.max(...atLb.map((a) => a.Tw + a.Tc)),
        lbRetried: atLb.filter((a) => a.retries !== '0').length,
      };
    });
  return { k6Requests, k6Unanswered, end: snapshots.filter((s) => s.reason === 'end').at(-1), snapshots, accessLines: access.length - empty, emptyConnections: empty, windows };
}
