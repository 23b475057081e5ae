import { describe, expect, it } from 'vitest';
import { buildOptions, parseStages } from './load-options.ts';
import { scriptConfig } from './script-config.ts';
import { headerValue } from './headers.ts';

describe('buildOptions', () => {
  it('defaults to 1 VU for 10s', () => {
    expect(buildOptions({})).toEqual({ scenarios: { load: { executor: 'constant-vus', vus: 1, duration: '10s', gracefulStop: '2s' } } });
  });

  it('takes VUS, DURATION and GRACEFUL_STOP', () => {
    expect(buildOptions({ VUS: '20', DURATION: '1m', GRACEFUL_STOP: '5s' }).scenarios['load']).toEqual({ executor: 'constant-vus', vus: 20, duration: '1m', gracefulStop: '5s' });
  });

  it('prefers RATE over STAGES over VUS', () => {
    expect(buildOptions({ RATE: '5', STAGES: '1s:1', VUS: '3' }).scenarios['load']?.executor).toBe('constant-arrival-rate');
    expect(buildOptions({ STAGES: '1s:1', VUS: '3' }).scenarios['load']?.executor).toBe('ramping-vus');
  });

  it('fills arrival-rate defaults', () => {
    expect(buildOptions({ RATE: '50', DURATION: '30s' }).scenarios['load']).toEqual({
      executor: 'constant-arrival-rate',
      rate: 50,
      timeUnit: '1s',
      duration: '30s',
      preAllocatedVUs: 10,
      maxVUs: 100,
      gracefulStop: '2s',
    });
  });

  it('parses stages', () => {
    expect(parseStages('30s:10, 1m:20,0s:0')).toEqual([
      { duration: '30s', target: 10 },
      { duration: '1m', target: 20 },
      { duration: '0s', target: 0 },
    ]);
  });

  it('refuses bad values with the variable, the value and what is allowed', () => {
    expect(() => buildOptions({ VUS: 'many' })).toThrow('VUS: "many" is not allowed; expected a whole number ≥ 1');
    expect(() => buildOptions({ VUS: '0' })).toThrow('VUS: "0" is not allowed; expected a whole number ≥ 1');
    expect(() => buildOptions({ DURATION: '10' })).toThrow('DURATION: "10" is not allowed; expected a duration such as "30s", "1m30s" or "1500ms"');
    expect(() => buildOptions({ STAGES: '30s-10' })).toThrow('STAGES: "30s-10" is not allowed; expected comma-separated duration:target pairs such as "30s:10,1m:20"');
  });
});

describe('scriptConfig', () => {
  it('defaults to the local load balancer, 0.1 s think time and a 10 s timeout', () => {
    expect(scriptConfig({})).toEqual({ baseUrl: 'http://127.0.0.1:8080', thinkTimeS: 0.1, requestTimeout: '10s' });
  });
  it('drops a trailing slash and refuses a URL with a path', () => {
    expect(scriptConfig({ BASE_URL: 'http://127.0.0.1:4000/' }).baseUrl).toBe('http://127.0.0.1:4000');
    expect(() => scriptConfig({ BASE_URL: 'http://127.0.0.1:4000/app' })).toThrow(/BASE_URL/);
    expect(() => scriptConfig({ THINK_TIME: '-1' })).toThrow('THINK_TIME: "-1" is not allowed; expected a number ≥ 0');
  });
});

describe('headerValue', () => {
  it('finds a header whatever its case', () => {
    expect(headerValue({ 'X-Replica': 'a' }, 'X-Replica')).toBe('a');
    expect(headerValue({ 'x-replica': 'b' }, 'X-Replica')).toBe('b');
    expect(headerValue({}, 'X-Replica')).toBeUndefined();
    expect(headerValue(undefined, 'X-Replica')).toBeUndefined();
  });
});
