import { describe, expect, it } from 'vitest';
import { buildOptions } from '../../k6-scripts/lib/load-options.ts';
import { scriptEnv } from './script-env.ts';
import type { ScenarioLoad } from './types.ts';

const load = (shape: ScenarioLoad['shape']): ScenarioLoad => ({
  script: '/x.ts',
  scriptAsWritten: 'x.ts',
  engine: 'auto',
  env: { THINK_TIME: '0.2' },
  shape,
  durationMs: 60_000,
});

describe('scriptEnv → the script\'s options (both sides of the env contract)', () => {
  it('constant VUs', () => {
    const env = scriptEnv(load({ executor: 'constant-vus', vus: 20, durationMs: 60_000 }), 'http://127.0.0.1:4000');
    expect(env).toEqual({ THINK_TIME: '0.2', BASE_URL: 'http://127.0.0.1:4000', VUS: '20', DURATION: '60000ms' });
    expect(buildOptions(env).scenarios).toEqual({ load: { executor: 'constant-vus', vus: 20, duration: '60000ms', gracefulStop: '2s' } });
  });

  it('stages', () => {
    const env = scriptEnv(load({ executor: 'ramping-vus', stages: [{ durationMs: 10_000, target: 5 }, { durationMs: 0, target: 9 }] }), 'http://127.0.0.1:4000');
    expect(env['STAGES']).toBe('10000ms:5,0ms:9');
    expect(buildOptions(env).scenarios).toEqual({
      load: { executor: 'ramping-vus', stages: [{ duration: '10000ms', target: 5 }, { duration: '0ms', target: 9 }], gracefulRampDown: '2s', gracefulStop: '2s' },
    });
  });

  it('arrival rate', () => {
    const env = scriptEnv(load({ executor: 'constant-arrival-rate', rate: 50, timeUnitMs: 1000, preAllocatedVUs: 10, maxVUs: 80, durationMs: 30_000 }), 'http://127.0.0.1:4000');
    expect(buildOptions(env).scenarios).toEqual({
      load: { executor: 'constant-arrival-rate', rate: 50, timeUnit: '1000ms', duration: '30000ms', preAllocatedVUs: 10, maxVUs: 80, gracefulStop: '2s' },
    });
  });
});
