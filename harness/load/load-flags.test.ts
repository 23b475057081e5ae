import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.ts';
import { planFlagArgs } from './load-flags.ts';

describe("a load plan's k6 flags", () => {
  it('are read by every name k6 gives them, with the value apart or after =', () => {
    expect(planFlagArgs([])).toEqual({ vus: undefined, duration: undefined, iterations: undefined });
    expect(planFlagArgs(['--vus', '3', '-d', '10s', '--iterations=7'])).toEqual({ vus: '3', duration: '10s', iterations: '7' });
    expect(planFlagArgs(['-u=2', '--duration=1m', '-i', '4'])).toEqual({ vus: '2', duration: '1m', iterations: '4' });
  });

  it('refuse any other flag, and a flag without its value', () => {
    expect(() => planFlagArgs(['--paused'])).toThrow(InputError);
    expect(() => planFlagArgs(['--vus'])).toThrow(/--vus followed by its value/);
  });
});
