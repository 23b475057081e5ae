import { describe, expect, expectTypeOf, it } from 'vitest';
import { K6ConfigError } from '../../metrics/errors.ts';
import { resolveOptions, type ExecutorName } from '../options.ts';
import { EXECUTORS } from './registry.ts';

/** The least each executor needs in a script's options. */
const MINIMAL: Record<ExecutorName, Record<string, unknown>> = {
  'constant-vus': { duration: '1s' },
  'ramping-vus': { stages: [{ duration: '1s', target: 1 }] },
  'per-vu-iterations': {},
  'shared-iterations': {},
  'constant-arrival-rate': { rate: 1, duration: '1s', preAllocatedVUs: 1 },
  'ramping-arrival-rate': { stages: [{ duration: '1s', target: 1 }], preAllocatedVUs: 1 },
};

describe('the executor registry', () => {
  it('has one executor for each name the options accept, and no other', () => {
    // Checked by the compiler too: the table's type maps every ExecutorName to its executor.
    expectTypeOf<keyof typeof EXECUTORS>().toEqualTypeOf<ExecutorName>();
    const names = Object.keys(MINIMAL) as ExecutorName[];
    expect(Object.keys(EXECUTORS).sort()).toEqual([...names].sort());
    for (const executor of names) {
      const options = resolveOptions({ scenarios: { s: { executor, ...MINIMAL[executor] } } }, {}, () => undefined);
      expect(options.scenarios[0]?.executor).toBe(executor);
      expect(typeof EXECUTORS[executor]).toBe('function');
    }
  });

  it('has nothing for an executor the options refuse', () => {
    expect(() => resolveOptions({ scenarios: { s: { executor: 'externally-controlled' } } }, {}, () => undefined)).toThrow(K6ConfigError);
    expect(Object.hasOwn(EXECUTORS, 'externally-controlled')).toBe(false);
  });
});
