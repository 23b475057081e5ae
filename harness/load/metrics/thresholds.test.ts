import { describe, expect, it } from 'vitest';
import { K6ConfigError } from './errors.ts';
import { parseMetricSelector } from './selector.ts';
import { CounterSink, GaugeSink, RateSink, TrendSink } from './sinks.ts';
import { parseThresholdExpression } from './threshold-expression.ts';
import { createThresholds, normalizeThresholdsOption, runThresholds, thresholdConfigJson } from './thresholds.ts';

describe('parseThresholdExpression', () => {
  it.each([
    ['rate<0.5', 'rate', undefined, '<', 0.5],
    ['p(95)<500', 'p', 95, '<', 500],
    ['p(99.9)<=1000', 'p', 99.9, '<=', 1000],
    ['avg<200', 'avg', undefined, '<', 200],
    ['med >= 10', 'med', undefined, '>=', 10],
    ['min>0', 'min', undefined, '>', 0],
    ['max!=3', 'max', undefined, '!=', 3],
    ['count>10', 'count', undefined, '>', 10],
    ['value===1', 'value', undefined, '===', 1],
    ['rate==0', 'rate', undefined, '==', 0],
  ] as const)('%s', (source, method, percentile, operator, value) => {
    expect(parseThresholdExpression(source)).toEqual({ source, method, percentile, operator, value });
  });

  it.each([
    ['p95<500', /unknown aggregation method "p95"/],
    ['rate', /malformed threshold expression/],
    ['avg<fast', /right-hand side "fast" is not a number/],
    ['p(abc)<1', /malformed percentile value "abc"/],
    ['p(101)<1', /outside 0..100/],
  ])('rejects %s', (source, reason) => {
    expect(() => parseThresholdExpression(source)).toThrow(reason);
  });
});

describe('normalizeThresholdsOption', () => {
  it('accepts strings and the object form', () => {
    expect(
      normalizeThresholdsOption({
        http_req_failed: ['rate<0.01', { threshold: 'rate<0.5', abortOnFail: true, delayAbortEval: '10s' }],
      }),
    ).toEqual([
      {
        key: 'http_req_failed',
        configs: [
          { source: 'rate<0.01', abortOnFail: false, delayAbortEvalMs: undefined },
          { source: 'rate<0.5', abortOnFail: true, delayAbortEvalMs: 10_000 },
        ],
      },
    ]);
  });

  it('names the metric and the expression when an expression is invalid', () => {
    const attempt = (): unknown => normalizeThresholdsOption({ http_req_duration: ['p95<500'] });
    expect(attempt).toThrow(K6ConfigError);
    expect(attempt).toThrow('invalid threshold expression "p95<500" on metric "http_req_duration"');
  });

  it('rejects a non-array, a bad object and a bad delay', () => {
    expect(() => normalizeThresholdsOption({ checks: 'rate>0.9' })).toThrow('thresholds for metric "checks" must be an array');
    expect(() => normalizeThresholdsOption({ checks: [{ abortOnFail: true }] })).toThrow('needs a string "threshold"');
    expect(() => normalizeThresholdsOption({ checks: [{ threshold: 'rate>0.9', delayAbortEval: 'soon' }] })).toThrow(
      'delayAbortEval "soon" is not a duration',
    );
    expect(normalizeThresholdsOption(undefined)).toEqual([]);
  });
});

describe('createThresholds', () => {
  it("refuses a method the metric's type does not support", () => {
    const configs = [{ source: 'p(95)<500', abortOnFail: false, delayAbortEvalMs: undefined }];
    expect(() => createThresholds('checks', 'rate', configs)).toThrow(
      'invalid threshold "p(95)<500" on metric "checks": the aggregation method p is not supported on a metric of type rate; supported: rate',
    );
    expect(() => createThresholds('vus', 'gauge', [{ ...configs[0]!, source: 'value<10' }])).not.toThrow();
  });
});

describe('runThresholds', () => {
  const make = (type: 'counter' | 'gauge' | 'rate' | 'trend', ...sources: string[]) =>
    createThresholds('m', type, sources.map((source) => ({ source, abortOnFail: false, delayAbortEvalMs: undefined })));

  it('evaluates trends with k6 percentiles', () => {
    const sink = new TrendSink();
    for (let i = 1; i <= 100; i++) sink.add(i);
    const thresholds = make('trend', 'p(95)<96', 'p(95)<95', 'avg==50.5', 'med==50.5', 'min==1', 'max<=100', 'p(99.9)<100');
    expect(runThresholds(thresholds, sink, 1000, false).passed).toBe(false);
    expect(thresholds.map((t) => t.lastFailed)).toEqual([false, true, false, false, false, false, false]);
  });

  it('evaluates counters (count and per-second rate over the elapsed time), gauges and rates', () => {
    const counter = new CounterSink();
    counter.add(30);
    const counterThresholds = make('counter', 'count>10', 'rate==15', 'rate<15');
    runThresholds(counterThresholds, counter, 2000, false);
    expect(counterThresholds.map((t) => t.lastFailed)).toEqual([false, false, true]);

    const gauge = new GaugeSink();
    gauge.add(5);
    gauge.add(2);
    expect(runThresholds(make('gauge', 'value==2'), gauge, 1, false).passed).toBe(true);

    const rate = new RateSink();
    rate.add(1);
    rate.add(0);
    rate.add(0);
    rate.add(0);
    expect(runThresholds(make('rate', 'rate<0.5'), rate, 1, false).passed).toBe(true);
    expect(runThresholds(make('rate', 'rate==0'), rate, 1, false).passed).toBe(false);
  });

  it('fails a rate threshold on a rate with no samples, as k6 does (0/0)', () => {
    expect(runThresholds(make('rate', 'rate==0'), new RateSink(), 1, false).passed).toBe(false);
    expect(runThresholds(make('rate', 'rate!=0'), new RateSink(), 1, false).passed).toBe(true);
  });

  it('asks to abort only for abortOnFail thresholds, after delayAbortEval', () => {
    const rate = new RateSink();
    rate.add(1);
    const thresholds = createThresholds('m', 'rate', [
      { source: 'rate<0.5', abortOnFail: true, delayAbortEvalMs: 10_000 },
    ]);
    expect(runThresholds(thresholds, rate, 5_000, false)).toEqual({ passed: false, abort: false });
    expect(runThresholds(thresholds, rate, 12_000, false)).toEqual({ passed: false, abort: true });
    const plain = make('rate', 'rate<0.5');
    expect(runThresholds(plain, rate, 12_000, false)).toEqual({ passed: false, abort: false });
  });
});

describe('thresholdConfigJson', () => {
  const encode = (text: string): string => JSON.stringify(text);
  it('writes the bare source, or the object form with abortOnFail as k6 marshals it', () => {
    expect(thresholdConfigJson({ source: 'rate<0.5', abortOnFail: false, delayAbortEvalMs: 5 }, encode)).toBe('"rate<0.5"');
    expect(thresholdConfigJson({ source: 'rate<0.5', abortOnFail: true, delayAbortEvalMs: 10_000 }, encode)).toBe(
      '{"threshold":"rate<0.5","abortOnFail":true,"delayAbortEval":"10s"}',
    );
    expect(thresholdConfigJson({ source: 'rate<0.5', abortOnFail: true, delayAbortEvalMs: undefined }, encode)).toBe(
      '{"threshold":"rate<0.5","abortOnFail":true,"delayAbortEval":null}',
    );
  });
});

describe('parseMetricSelector', () => {
  it('parses a plain metric and submetrics', () => {
    expect(parseMetricSelector('http_reqs')).toEqual({ metric: 'http_reqs', submetric: undefined });
    expect(parseMetricSelector('http_req_duration{scenario:journey}')).toEqual({
      metric: 'http_req_duration',
      submetric: { name: 'http_req_duration{scenario:journey}', suffix: 'scenario:journey', tags: { scenario: 'journey' } },
    });
    expect(parseMetricSelector('http_req_duration{ status:"200", method : GET }').submetric).toEqual({
      name: 'http_req_duration{status:"200", method : GET}',
      suffix: 'status:"200", method : GET',
      tags: { status: '200', method: 'GET' },
    });
  });

  it.each([
    ['http_req_duration{scenario:journey', /unmatched/],
    ['http_req_duration}scenario:x{', /before the opening/],
    ['http_req_duration{a:b}x', /must be the last character/],
    ['http_req_duration{status}', /tag expression "status" is malformed/],
    ['http_req_duration{status:}', /malformed/],
  ])('rejects %s naming it', (key, reason) => {
    expect(() => parseMetricSelector(key)).toThrow(reason);
    expect(() => parseMetricSelector(key)).toThrow(key);
  });
});
