import { describe, expect, it } from 'vitest';
import type { MetricContains, MetricType } from '../contract.ts';
import { humanizeBytes, humanizeDuration, humanizeValue } from './humanize.ts';
import { referenceText } from './reference-fixture.ts';
import type { SummaryData, SummaryMetric } from './summary-types.ts';
import { defaultStdoutSummary, strWidth, textSummary } from './text-summary.ts';

const STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'];

function trend(contains: MetricContains, values: number[], thresholds?: SummaryMetric['thresholds']): SummaryMetric {
  const metric: SummaryMetric = {
    type: 'trend',
    contains,
    values: Object.fromEntries(STATS.map((stat, i) => [stat, values[i] ?? 0])),
  };
  if (thresholds !== undefined) metric.thresholds = thresholds;
  return metric;
}

function metric(type: MetricType, contains: MetricContains, values: Record<string, number>, ok?: boolean): SummaryMetric {
  const result: SummaryMetric = { type, contains, values };
  if (ok !== undefined) result.thresholds = { expr: { ok } };
  return result;
}

/**
 * The run behind stdout-summary.txt, as handleSummary data. Raw values carry a trailing digit so that
 * k6's truncation lands on the printed digits whatever the float error.
 */
const STDOUT_RUN: SummaryData = {
  root_group: {
    name: '',
    path: '',
    id: 'd41d8cd98f00b204e9800998ecf8427e',
    groups: [
      { name: 'setup', path: '::setup', id: 'a', groups: [], checks: [] },
      {
        name: 'login',
        path: '::login',
        id: 'b',
        groups: [],
        checks: [{ name: 'logged in', path: '::login::logged in', id: 'c', passes: 40, fails: 0 }],
      },
      {
        name: 'cart',
        path: '::cart',
        id: 'd',
        groups: [],
        checks: [{ name: 'item added', path: '::cart::item added', id: 'e', passes: 120, fails: 0 }],
      },
    ],
    checks: [{ name: 'flaky ok', path: '::flaky ok', id: 'f', passes: 31, fails: 10 }],
  },
  options: { summaryTrendStats: STATS, summaryTimeUnit: '', noColor: true },
  state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: 2102.1 },
  metrics: {
    vus_max: metric('gauge', 'default', { value: 4, min: 4, max: 4 }),
    'http_req_duration{scenario:journey}': trend('time', [0.715821, 0.136591, 0.444961, 10.761, 1.161, 1.601], {
      'p(95)<500': { ok: true },
    }),
    cart_size: trend('default', [2, 1, 2, 3, 3, 3]),
    checks: metric('rate', 'default', { rate: 191 / 201, passes: 191, fails: 10 }, true),
    data_received: metric('counter', 'data', { count: 37803, rate: 17988.7 }),
    data_sent: metric('counter', 'data', { count: 28100, rate: 13371.5 }),
    group_duration: trend('time', [1.861, 0.424391, 1.111, 14.451, 2.981, 5.491]),
    http_req_blocked: trend('time', [0.039271, 0.0006211, 0.001771, 6.371, 0.006921, 0.008391]),
    http_req_connecting: trend('time', [0.034921, 0, 0, 6.311, 0, 0]),
    http_req_duration: trend('time', [0.756671, 0.136591, 0.539151, 10.761, 1.101, 1.591]),
    'http_req_duration{expected_response:true}': trend('time', [0.761631, 0.136591, 0.522901, 10.761, 1.101, 1.731]),
    http_req_failed: metric('rate', 'default', { rate: 10 / 201, passes: 10, fails: 191 }, true),
    http_req_receiving: trend('time', [0.059171, 0.007971, 0.036181, 1.741, 0.080721, 0.1220001]),
    http_req_sending: trend('time', [0.019371, 0.004281, 0.012381, 0.079451, 0.040521, 0.048261]),
    http_req_tls_handshaking: trend('time', [0, 0, 0, 0, 0, 0]),
    http_req_waiting: trend('time', [0.678121, 0.108481, 0.450831, 10.681, 0.975641, 1.431]),
    http_reqs: metric('counter', 'default', { count: 201, rate: 95.617838 }),
    items_added: metric('counter', 'default', { count: 120, rate: 57.085277 }),
    iteration_duration: trend('time', [51.531, 0.002931, 6.461, 117.781, 104.661, 106.961]),
    iterations: metric('counter', 'default', { count: 81, rate: 38.532562 }),
    last_vu: metric('gauge', 'default', { value: 1, min: 1, max: 2 }),
    session_lost: metric('rate', 'default', { rate: 0, passes: 0, fails: 120 }, true),
    vus: metric('gauge', 'default', { value: 2, min: 2, max: 2 }),
  },
};

/** The summary block of stdout-summary.txt: from the first check line to the vus_max line. */
function referenceSummaryLines(): string[] {
  const lines = referenceText('stdout-summary.txt').split('\n');
  const first = lines.findIndex((line) => line.includes('flaky ok'));
  const last = lines.findIndex((line) => line.includes('vus_max...'));
  return lines.slice(first, last + 1);
}

describe('textSummary', () => {
  it("reproduces k6's text summary of stdout-summary.txt line for line", () => {
    const ours = textSummary(STDOUT_RUN, { indent: ' ', enableColors: false }).split('\n');
    expect(ours).toEqual(referenceSummaryLines());
  });

  it('wraps the text as k6 prints it on stdout', () => {
    const text = defaultStdoutSummary(STDOUT_RUN, false);
    expect(text.startsWith('\n     ✗ flaky ok\n')).toBe(true);
    expect(text.endsWith('max=4\n\n')).toBe(true);
  });

  it('marks a metric with a failed threshold with ✗ and colors when asked', () => {
    const data: SummaryData = {
      ...STDOUT_RUN,
      metrics: { http_req_failed: metric('rate', 'default', { rate: 0.6, passes: 6, fails: 4 }, false) },
    };
    expect(textSummary(data, { enableColors: false })).toContain('   ✗ http_req_failed...: 60.00% ✓ 6 ✗ 4');
    const colored = textSummary(data, { enableColors: true });
    expect(colored).toContain('\x1b[31m✗\x1b[0m http_req_failed');
    expect(strWidth(colored.split('\n').at(-1) ?? '')).toBe(strWidth(textSummary(data, { enableColors: false }).split('\n').at(-1) ?? ''));
  });

  it('honours summaryTrendStats and summaryTimeUnit', () => {
    const data: SummaryData = {
      ...STDOUT_RUN,
      options: { summaryTrendStats: ['count', 'p(99)'], summaryTimeUnit: 'ms', noColor: true },
      metrics: { http_req_duration: { type: 'trend', contains: 'time', values: { count: 12, 'p(99)': 1234.5 } } },
    };
    expect(textSummary(data, { enableColors: false }).split('\n').at(-1)).toBe(
      '     http_req_duration...: count=12 p(99)=1234.50ms',
    );
  });
});

describe('humanize', () => {
  it('formats durations as k6 does', () => {
    expect(humanizeDuration(0, '')).toBe('0s');
    expect(humanizeDuration(0.000621, '')).toBe('621ns');
    expect(humanizeDuration(0.0392712, '')).toBe('39.27µs');
    expect(humanizeDuration(0.122, '')).toBe('122µs');
    expect(humanizeDuration(1.1, '')).toBe('1.1ms');
    expect(humanizeDuration(117.7812, '')).toBe('117.78ms');
    expect(humanizeDuration(2101.478, '')).toBe('2.1s');
    expect(humanizeDuration(90_500, '')).toBe('1m30s'); // truncated, not rounded
    expect(humanizeDuration(3_725_000, '')).toBe('1h2m5s');
    expect(humanizeDuration(1.5, 's')).toBe('0.00s');
    expect(humanizeDuration(1.5, 'us')).toBe('1500.00µs');
  });

  it('formats data with decimal units and rates as percentages truncated', () => {
    expect(humanizeBytes(9)).toBe('9 B');
    expect(humanizeBytes(37803)).toBe('38 kB');
    expect(humanizeBytes(1_540_000)).toBe('1.5 MB');
    expect(humanizeBytes(13371.5)).toBe('13 kB');
    expect(humanizeValue(191 / 201, { type: 'rate', contains: 'default' }, '')).toBe('95.02%');
    expect(humanizeValue(10 / 201, { type: 'rate', contains: 'default' }, '')).toBe('4.97%');
    expect(humanizeValue(57.0852771234, { type: 'counter', contains: 'default' }, '')).toBe('57.085277');
  });
});
