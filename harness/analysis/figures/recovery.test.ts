import { describe, expect, it } from 'vitest';
import type { FineBuckets } from '../accumulate/fault-fine-series.ts';
import { recovery } from './recovery.ts';

const BASELINE = 100;
const WINDOW_MS = 10_000;

/**
 * 100 ms buckets around a fault at bucket 100: 20 requests each, p99 5 ms, no errors, for `after`
 * buckets after the fault; `change` edits the buckets after the fault (index 0 = the fault's first).
 */
function buckets(after: number, change: (bucket: { requests: number; failed: number; p99: number }, index: number) => void = () => {}): FineBuckets {
  const total = BASELINE + after;
  const requests = new Float64Array(total).fill(20);
  const failed = new Float64Array(total);
  const p99Ms = new Float64Array(total).fill(5);
  for (let index = 0; index < after; index++) {
    const bucket = { requests: 20, failed: 0, p99: 5 };
    change(bucket, index);
    requests[BASELINE + index] = bucket.requests;
    failed[BASELINE + index] = bucket.failed;
    p99Ms[BASELINE + index] = bucket.requests > 0 ? bucket.p99 : Number.NaN;
  }
  const latencyCount = requests.slice();
  return { baselineBuckets: BASELINE, firstComplete: 0, endComplete: total, requests, failed, latencyCount, p99Ms };
}

describe('recovery on 100 ms buckets', () => {
  it('finds errors and latency each to the 100 ms, and recovery when both are back', () => {
    // Errors for 300 ms after the fault; a 1 s stall: requests completing in 1,000 ms until 1.5 s.
    const input = buckets(200, (bucket, index) => {
      if (index < 3) bucket.failed = 10;
      if (index >= 9 && index < 15) bucket.p99 = 1000;
    });
    expect(recovery({ buckets: input, windowMs: WINDOW_MS, baselineErrorRate: 0 })).toMatchObject({
      ms: 1500,
      errorsMs: 300,
      latencyMs: 1500,
      band: { errorRate: 0.01, p99Ms: 7.5, emptyBuckets: 0 },
    });
  });

  it('waits for a burst that starts seconds after the fault instead of calling it recovered at once', () => {
    const input = buckets(200, (bucket, index) => {
      if (index >= 30 && index < 35) bucket.failed = 20;
    });
    expect(recovery({ buckets: input, windowMs: WINDOW_MS, baselineErrorRate: 0 }).ms).toBe(3500);
  });

  it('is the later of the two even when an error burst begins after a latency spike has passed', () => {
    // A 300 ms spike at once, in band for 4 s, then errors from 4.5 s to 5.7 s (a real run had this shape).
    const input = buckets(200, (bucket, index) => {
      if (index < 3) bucket.p99 = 400;
      if (index >= 45 && index < 57) bucket.failed = 5;
    });
    const found = recovery({ buckets: input, windowMs: WINDOW_MS, baselineErrorRate: 0 });
    expect([found.latencyMs, found.errorsMs, found.ms]).toEqual([300, 5700, 5700]);
  });

  it('counts a bucket without any completed request as out of the band, when the baseline had none', () => {
    const input = buckets(200, (bucket, index) => {
      if (index < 4) bucket.requests = 0;
    });
    expect(recovery({ buckets: input, windowMs: WINDOW_MS, baselineErrorRate: 0 }).ms).toBe(400);
  });

  it('tolerates runs of empty buckets as long as the baseline had them (a light load)', () => {
    const input = buckets(200, (bucket, index) => {
      if (index % 3 !== 0) bucket.requests = 0;
    });
    for (let bucket = 0; bucket < BASELINE; bucket++) if (bucket % 3 !== 0) input.requests[bucket] = 0;
    const light = recovery({ buckets: input, windowMs: WINDOW_MS, baselineErrorRate: 0 });
    expect(light.band.emptyBuckets).toBe(2);
    expect(light.ms).toBe(0);
  });

  it('needs 3 s in a row: one bad bucket inside the run starts the search again', () => {
    const input = buckets(200, (bucket, index) => {
      if (index === 0 || index === 20) bucket.failed = 5;
    });
    expect(recovery({ buckets: input, windowMs: WINDOW_MS, baselineErrorRate: 0 }).ms).toBe(2100);
  });

  it('widens the band by what the baseline did: its worst error bucket, 1.5 × its worst p99', () => {
    const input = buckets(200, (bucket, index) => {
      // In band: 1 error in 20 (5 %) as in the baseline, and p99 up to 1.5 × 8 ms.
      if (index === 5) bucket.failed = 1;
      if (index === 6) bucket.p99 = 12;
    });
    input.failed[10] = 1;
    input.p99Ms[11] = 8;
    const result = recovery({ buckets: input, windowMs: WINDOW_MS, baselineErrorRate: 1 / 2000 });
    expect(result.band.errorRate).toBeCloseTo(0.05, 12);
    expect(result.band.p99Ms).toBeCloseTo(12, 12);
    expect(result.ms).toBe(0);
  });

  it('is 0 when no bucket of the window left the band, and null when the trial ends first', () => {
    expect(recovery({ buckets: buckets(200), windowMs: WINDOW_MS, baselineErrorRate: 0 }).ms).toBe(0);
    const stuck = buckets(60, (bucket, index) => {
      if (index >= 40) bucket.failed = 20;
    });
    expect(recovery({ buckets: stuck, windowMs: WINDOW_MS, baselineErrorRate: 0 })).toMatchObject({ ms: null, errorsMs: null, latencyMs: 0 });
  });

  it('judges no latency without a baseline latency, and never uses buckets outside the trial', () => {
    const input = buckets(200, (bucket, index) => {
      if (index < 2) bucket.p99 = 5000;
    });
    // The load began 2 s before the fault: the baseline is the 20 complete buckets from there.
    const partial = { ...input, firstComplete: 80 };
    for (let bucket = 0; bucket < 80; bucket++) input.p99Ms[bucket] = 10_000;
    expect(recovery({ buckets: partial, windowMs: WINDOW_MS, baselineErrorRate: 0 }).latencyMs).toBe(200);
    const noLatency = { ...input, p99Ms: new Float64Array(input.p99Ms.length).fill(Number.NaN) };
    expect(recovery({ buckets: noLatency, windowMs: WINDOW_MS, baselineErrorRate: 0 })).toMatchObject({ latencyMs: 0, band: { p99Ms: null } });
  });
});
