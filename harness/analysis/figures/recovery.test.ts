import { describe, expect, it } from 'vitest';
import { recoveryMs } from './recovery.ts';

/** Per-second series: requests 100 each second, failed as given. */
function series(failed: number[]): { requests: number[]; failed: number[] } {
  return { requests: failed.map(() => 100), failed };
}

describe('recoveryMs', () => {
  it('is the start of the first of 3 in-band seconds after the burst, from the fault start', () => {
    // baseline 1 %, burst in seconds 10–14 (fault at 10.0 s).
    const errors = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 50, 50, 40, 30, 20, 2, 1, 1, 1, 1];
    expect(
      recoveryMs({
        ...series(errors),
        faultOffsetMs: 10_000,
        windowEndOffsetMs: 20_000,
        baselineErrorRate: 0.01,
        excessErrors: 185,
      }),
    ).toBe(5000);
  });

  it('waits for a burst that starts seconds after the fault instead of calling it recovered at once', () => {
    const errors = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 80, 80, 0, 0, 0, 0, 0];
    expect(
      recoveryMs({
        ...series(errors),
        faultOffsetMs: 10_000,
        windowEndOffsetMs: 20_000,
        baselineErrorRate: 0,
        excessErrors: 160,
      }),
    ).toBe(5000);
  });

  it('counts a second without any completed request as not recovered', () => {
    const data = series([0, 0, 0, 0, 0, 0, 50, 0, 0, 0, 0, 0]);
    data.requests[7] = 0;
    expect(recoveryMs({ ...data, faultOffsetMs: 6000, windowEndOffsetMs: 16_000, baselineErrorRate: 0, excessErrors: 50 })).toBe(
      2000,
    );
  });

  it('needs 3 seconds in a row: an in-band second between bad ones does not count', () => {
    const errors = [0, 0, 0, 0, 0, 30, 0, 30, 0, 0, 0, 0];
    expect(
      recoveryMs({ ...series(errors), faultOffsetMs: 5000, windowEndOffsetMs: 15_000, baselineErrorRate: 0, excessErrors: 60 }),
    ).toBe(3000);
  });

  it('is 0 without excess errors or when no second of the window left the band', () => {
    const errors = [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0];
    expect(
      recoveryMs({ ...series(errors), faultOffsetMs: 5000, windowEndOffsetMs: 15_000, baselineErrorRate: 0, excessErrors: 0 }),
    ).toBe(0);
    expect(
      recoveryMs({ ...series(errors), faultOffsetMs: 5000, windowEndOffsetMs: 15_000, baselineErrorRate: 0, excessErrors: 1 }),
    ).toBe(0);
  });

  it('is null when the trial ends first, and rounds a mid-second fault to the 1 s grid (never below 0)', () => {
    const errors = [0, 0, 0, 0, 0, 90, 90, 90, 0, 0];
    expect(
      recoveryMs({ ...series(errors), faultOffsetMs: 5000, windowEndOffsetMs: 15_000, baselineErrorRate: 0, excessErrors: 270 }),
    ).toBeNull();
    const midSecond = [0, 0, 0, 0, 0, 40, 90, 0, 0, 0, 0];
    // Fault at 5.4 s, errors until 7 s: answer 7 − 5.4 = 1.6 s (truth 1.6 s; resolution 1 s).
    expect(
      recoveryMs({
        ...series(midSecond),
        faultOffsetMs: 5400,
        windowEndOffsetMs: 15_400,
        baselineErrorRate: 0,
        excessErrors: 130,
      }),
    ).toBe(1600);
  });
});
