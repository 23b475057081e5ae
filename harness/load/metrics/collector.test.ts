import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Sample } from '../contract.ts';
import { K6_BUILTIN_METRICS } from './builtin-metrics.ts';
import { MetricsCollector } from './collector.ts';
import { K6ConfigError } from './errors.ts';
import { K6Output } from './k6-output.ts';
import { buildSummaryData } from './summary-data.ts';
import { startThresholdTimer } from './threshold-timer.ts';

const T0 = Date.parse('2026-01-01T00:00:00Z');

function collector(): MetricsCollector {
  const c = new MetricsCollector();
  for (const metric of K6_BUILTIN_METRICS) c.define(metric);
  return c;
}

function request(status: number, duration: number, scenario = 'default'): Sample[] {
  const tags = {
    expected_response: String(status < 400),
    group: '',
    method: 'GET',
    name: 'u',
    proto: 'HTTP/1.1',
    scenario,
    status: String(status),
    url: 'u',
  };
  return [
    { metric: 'http_reqs', time: T0, value: 1, tags },
    { metric: 'http_req_duration', time: T0, value: duration, tags },
    { metric: 'http_req_failed', time: T0, value: status >= 400 ? 1 : 0, tags },
  ];
}

describe('MetricsCollector', () => {
  it('aggregates per submetric: thresholds selectors and expected_response:true', () => {
    const c = collector();
    c.configureThresholds({ thresholds: { 'http_req_duration{scenario:a}': ['p(95)<500'] } });
    for (const sample of [...request(200, 10, 'a'), ...request(503, 30, 'b'), ...request(200, 20, 'b')]) c.add(sample);
    const summary = buildSummaryData(c, { testRunDurationMs: 1000 });
    expect(summary.metrics['http_req_duration']?.values['avg']).toBe(20);
    expect(summary.metrics['http_req_duration{scenario:a}']?.values['avg']).toBe(10);
    expect(summary.metrics['http_req_duration{expected_response:true}']?.values['avg']).toBe(15);
    expect(summary.metrics['http_reqs']?.values).toEqual({ count: 3, rate: 3 });
    expect(summary.metrics['http_req_failed']?.values).toEqual({ rate: 1 / 3, passes: 1, fails: 2 });
    expect(c.describe('http_req_duration')?.submetrics.map((s) => s.name)).toEqual([
      'http_req_duration{scenario:a}',
      'http_req_duration{expected_response:true}',
    ]);
  });

  it('shows metrics with thresholds even without samples, and not other unused metrics', () => {
    const c = collector();
    c.configureThresholds({ thresholds: { 'checks{tag:x}': ['rate>0.9'] } });
    const names = Object.keys(buildSummaryData(c, { testRunDurationMs: 1 }).metrics);
    expect(names).toEqual(['checks', 'checks{tag:x}']);
  });

  it('fails thresholds at the end but ignores empty sinks during the run', () => {
    const c = collector();
    c.define({ name: 'session_lost', type: 'rate', contains: 'default' });
    c.configureThresholds({ thresholds: { session_lost: ['rate==0'], http_req_duration: ['p(95)<100'] } });
    for (const sample of request(200, 50)) c.add(sample);
    expect(c.evaluateThresholds(1000, true)).toEqual({ breached: [], abort: false });
    expect(c.evaluateThresholds(1000, false)).toEqual({ breached: ['session_lost'], abort: false });
    for (const sample of request(200, 500)) c.add(sample);
    expect(c.evaluateThresholds(1000, false).breached).toEqual(['http_req_duration', 'session_lost']);
    const summary = buildSummaryData(c, { testRunDurationMs: 1000 });
    expect(summary.metrics['http_req_duration']?.thresholds).toEqual({ 'p(95)<100': { ok: false } });
    expect(summary.metrics['session_lost']?.thresholds).toEqual({ 'rate==0': { ok: false } });
  });

  it('rejects thresholds on unknown metrics and unsupported methods, naming them', () => {
    expect(() => collector().configureThresholds({ thresholds: { nope: ['count>1'] } })).toThrow(
      'invalid threshold defined on "nope": no metric named "nope" found',
    );
    expect(() => collector().configureThresholds({ thresholds: { http_reqs: ['avg<1'] } })).toThrow(K6ConfigError);
    expect(() => collector().configureThresholds({ thresholds: { 'http_reqs{a}': ['count>1'] } })).toThrow(
      'invalid metric "http_reqs{a}" in thresholds',
    );
  });

  it('refuses to redefine a metric with another type, and samples of undefined metrics', () => {
    const c = collector();
    expect(() => c.define({ name: 'checks', type: 'counter', contains: 'default' })).toThrow('already exists as a rate');
    expect(() => c.add({ metric: 'nope', time: T0, value: 1, tags: {} })).toThrow('before it was defined');
  });

  it('builds nested groups and checks from group and check tags', () => {
    const c = collector();
    c.add({ metric: 'group_duration', time: T0, value: 1, tags: { group: '::outer::inner' } });
    c.add({ metric: 'checks', time: T0, value: 1, tags: { group: '::outer', check: 'ok' } });
    c.add({ metric: 'checks', time: T0, value: 0, tags: { group: '::outer', check: 'ok' } });
    c.add({ metric: 'checks', time: T0, value: 1, tags: { group: '', check: 'top' } });
    const root = buildSummaryData(c, { testRunDurationMs: 1 }).root_group;
    expect(root.checks.map((check) => [check.path, check.passes, check.fails])).toEqual([['::top', 1, 0]]);
    const outer = root.groups[0];
    expect(outer?.path).toBe('::outer');
    expect(outer?.groups[0]?.path).toBe('::outer::inner');
    expect(outer?.checks[0]).toMatchObject({ name: 'ok', path: '::outer::ok', passes: 1, fails: 1 });
    expect(outer?.checks[0]?.id).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('threshold timer', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('evaluates every 2 s and asks to abort once for abortOnFail', () => {
    vi.useFakeTimers();
    const c = collector();
    c.configureThresholds({
      thresholds: { http_req_failed: [{ threshold: 'rate<0.1', abortOnFail: true, delayAbortEval: '3s' }] },
    });
    let elapsed = 0;
    const onAbort = vi.fn();
    const stop = startThresholdTimer(c, { elapsedMs: () => elapsed, onAbort });
    for (const sample of request(503, 1)) c.add(sample);
    elapsed = 2000;
    vi.advanceTimersByTime(2000);
    expect(onAbort).not.toHaveBeenCalled();
    elapsed = 4000;
    vi.advanceTimersByTime(2000);
    expect(onAbort).toHaveBeenCalledWith(['http_req_failed']);
    elapsed = 6000;
    vi.advanceTimersByTime(2000);
    expect(onAbort).toHaveBeenCalledTimes(1);
    stop();
  });
});

describe('K6Output', () => {
  it('validates summaryTrendStats up front and honours them', async () => {
    expect(() => new K6Output({ summaryTrendStats: ['avg', 'p(200)'] })).toThrow('"p(200)" is not a valid trend column');
    const output = new K6Output({ summaryTrendStats: ['count', 'p(99.9)', 'med'] });
    output.configureThresholds({});
    for (const sample of request(200, 10)) output.add(sample);
    const { summary } = await output.finish({ testRunDurationMs: 1000, setupData: { a: 1 } });
    expect(summary.metrics['http_req_duration']?.values).toEqual({ count: 1, 'p(99.9)': 10, med: 10 });
    expect(summary.options.summaryTrendStats).toEqual(['count', 'p(99.9)', 'med']);
    expect(summary.setup_data).toEqual({ a: 1 });
  });

  it('reports failed thresholds from the final evaluation', async () => {
    const output = new K6Output();
    output.configureThresholds({ thresholds: { http_req_failed: ['rate<0.5'] } });
    for (const sample of request(500, 10)) output.add(sample);
    const result = await output.finish({ testRunDurationMs: 1000 });
    expect(result.thresholdsFailed).toBe(true);
    expect(result.breached).toEqual(['http_req_failed']);
    expect(await output.finish({ testRunDurationMs: 5 })).toBe(result);
  });
});
