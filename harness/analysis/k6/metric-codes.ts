import {
  METRIC_AUDIT_BALANCE,
  METRIC_CONSERVATION,
  METRIC_DEPOSITED,
  METRIC_DUPLICATED,
  METRIC_LOST,
  METRIC_UNKNOWN_CENTS,
  METRIC_WITHDRAWN,
} from '../../../k6-scripts/lib/bank-metrics.ts';
import { METRIC_APP_RESPONSES, METRIC_SESSION_LOST, METRIC_SESSION_STARTED } from '../../../k6-scripts/lib/metric-names.ts';

/**
 * The k6 metrics the analysis reads; every other metric (http_req_blocked, data_sent, checks, …) is
 * skipped without being parsed. Small integers so the hot loop switches on a number, not a string.
 */
export const MetricCode = {
  skip: 0,
  httpReqs: 1,
  httpReqFailed: 2,
  httpReqDuration: 3,
  appResponses: 4,
  sessionStarted: 5,
  sessionLost: 6,
  // The bank script's counters (k6-scripts/lib/bank-metrics.ts): conservation of money.
  bankDeposited: 7,
  bankWithdrawn: 8,
  bankUnknownCents: 9,
  bankAuditBalance: 10,
  bankLost: 11,
  bankDuplicated: 12,
  bankConservationViolations: 13,
} as const;
export type MetricCode = (typeof MetricCode)[keyof typeof MetricCode];

export const METRIC_NAMES_BY_CODE: Readonly<Record<Exclude<MetricCode, 0>, string>> = {
  [MetricCode.httpReqs]: 'http_reqs',
  [MetricCode.httpReqFailed]: 'http_req_failed',
  [MetricCode.httpReqDuration]: 'http_req_duration',
  [MetricCode.appResponses]: METRIC_APP_RESPONSES,
  [MetricCode.sessionStarted]: METRIC_SESSION_STARTED,
  [MetricCode.sessionLost]: METRIC_SESSION_LOST,
  [MetricCode.bankDeposited]: METRIC_DEPOSITED,
  [MetricCode.bankWithdrawn]: METRIC_WITHDRAWN,
  [MetricCode.bankUnknownCents]: METRIC_UNKNOWN_CENTS,
  [MetricCode.bankAuditBalance]: METRIC_AUDIT_BALANCE,
  [MetricCode.bankLost]: METRIC_LOST,
  [MetricCode.bankDuplicated]: METRIC_DUPLICATED,
  [MetricCode.bankConservationViolations]: METRIC_CONSERVATION,
};

const CODES_BY_NAME = new Map<string, MetricCode>(
  Object.entries(METRIC_NAMES_BY_CODE).map(([code, name]) => [name, Number(code) as MetricCode]),
);

/** Metrics whose points need the `session` / `replica` / `op` tags (the others need only time and value). */
export function needsTags(code: MetricCode): boolean {
  return (code >= MetricCode.appResponses && code <= MetricCode.sessionLost) || code === MetricCode.bankUnknownCents;
}

export function metricCodeOf(name: string): MetricCode {
  return CODES_BY_NAME.get(name) ?? MetricCode.skip;
}

const QUOTE = 34;

/**
 * Reads a metric name in place, up to its closing quote, and says which wanted metric it is. The hot
 * path runs this once per line and drops most lines, so the name is walked through a trie of the
 * wanted names: an unwanted name is rejected at its first byte that no wanted name has there
 * (`data_sent` at "d", `http_req_blocked` at "b"), without reading the rest of it.
 */
export class MetricNameReader {
  /** Index of the closing quote; valid after `read` returned a wanted code. */
  end = 0;
  /** transitions[state * 256 + byte] = next state, 0 = no wanted name continues so. */
  private readonly transitions: Int32Array;
  /** accepts[state] = the code of the wanted name that ends in that state, else 0. */
  private readonly accepts: Uint8Array;

  constructor() {
    const names = [...CODES_BY_NAME];
    const maxStates = names.reduce((sum, [name]) => sum + name.length, 1);
    this.transitions = new Int32Array(maxStates * 256);
    this.accepts = new Uint8Array(maxStates);
    let states = 1;
    for (const [name, code] of names) {
      let state = 0;
      for (const byte of Buffer.from(name, 'latin1')) {
        const cell = state * 256 + byte;
        if (this.transitions[cell] === 0) this.transitions[cell] = states++;
        state = this.transitions[cell] ?? 0;
      }
      this.accepts[state] = code;
    }
  }

  /** The code of the name starting at `start`, or `MetricCode.skip` for any name not read. */
  read(bytes: Uint8Array, start: number, lineEnd: number): MetricCode {
    let state = 0;
    for (let index = start; index < lineEnd; index++) {
      const byte = bytes[index] ?? 0;
      if (byte === QUOTE) {
        this.end = index;
        return (this.accepts[state] ?? 0) as MetricCode;
      }
      state = this.transitions[state * 256 + byte] ?? 0;
      if (state === 0) return MetricCode.skip;
    }
    return MetricCode.skip;
  }
}
