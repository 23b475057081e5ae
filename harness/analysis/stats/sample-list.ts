import type { BucketKind } from './rolling-buckets.ts';

/** A growable list of numbers in a Float64Array: samples without an object per sample. */
export class SampleList {
  private values: Float64Array;
  length = 0;

  constructor(initialCapacity = 64) {
    this.values = new Float64Array(initialCapacity);
  }

  push(value: number): void {
    if (this.length === this.values.length) {
      const larger = new Float64Array(this.values.length * 2);
      larger.set(this.values);
      this.values = larger;
    }
    this.values[this.length++] = value;
  }

  at(index: number): number {
    return this.values[index] ?? Number.NaN;
  }

  /** The samples in ascending order (a view, valid until the next push or clear). */
  sorted(): Float64Array {
    return this.values.subarray(0, this.length).sort();
  }

  clear(): void {
    this.length = 0;
  }
}

/** Nearest-rank percentile of ascending samples (the smallest with at least p % at or below it); NaN when empty. */
export function nearestRank(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

/** Windows of exact samples per bucket (RollingBuckets). */
export const SAMPLE_BUCKETS: BucketKind<SampleList> = {
  create: () => new SampleList(),
  add: (samples, value) => samples.push(value),
  reset: (samples) => samples.clear(),
};
