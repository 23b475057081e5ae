import { LogLinearHistogram } from './histogram.ts';

/**
 * Above this many values a trend stops keeping them all and folds them into a histogram. k6 v0.49
 * keeps every value and computes exact percentiles; we do the same up to the limit (1 MiB of doubles
 * per trend, enough for most tests and every conformance run), then trade exactness (≤ 0.05 %
 * relative error on percentiles; count, sum, avg, min and max stay exact) for bounded memory.
 */
export const DEFAULT_TREND_EXACT_LIMIT = 131_072;

export class TrendSink {
  readonly type = 'trend';
  count = 0;
  sum = 0;
  min = 0;
  max = 0;
  private exact: Float64Array | undefined;
  private sorted = true;
  private histogram: LogLinearHistogram | undefined;

  constructor(private readonly exactLimit = DEFAULT_TREND_EXACT_LIMIT) {
    this.exact = new Float64Array(Math.min(64, Math.max(exactLimit, 0)));
  }

  get isEmpty(): boolean {
    return this.count === 0;
  }

  /** Whether percentiles are still exact (no fold into the histogram yet). */
  get isExact(): boolean {
    return this.histogram === undefined;
  }

  get avg(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }

  add(value: number): void {
    if (this.count === 0) {
      this.min = value;
      this.max = value;
    } else {
      if (value > this.max) this.max = value;
      if (value < this.min) this.min = value;
    }
    this.sum += value;
    if (this.histogram !== undefined) {
      this.histogram.add(value);
    } else {
      this.store(value);
    }
    this.count++;
  }

  /**
   * The percentile `fraction` (0..1) with k6's definition: linear interpolation between the sorted
   * values at floor and ceil of fraction × (count − 1).
   */
  percentile(fraction: number): number {
    if (this.count === 0) return 0;
    const rank = fraction * (this.count - 1);
    const low = Math.floor(rank);
    const high = Math.ceil(rank);
    const lowValue = this.valueAtRank(low);
    const highValue = high === low ? lowValue : this.valueAtRank(high);
    return lowValue + (highValue - lowValue) * (rank - low);
  }

  private valueAtRank(rank: number): number {
    if (this.histogram !== undefined) {
      // The extremes are known exactly; inside, the bucket value is kept within [min, max].
      if (rank <= 0) return this.min;
      if (rank >= this.count - 1) return this.max;
      return Math.min(Math.max(this.histogram.valueAtRank(rank), this.min), this.max);
    }
    const values = this.exact as Float64Array;
    if (!this.sorted) {
      values.subarray(0, this.count).sort();
      this.sorted = true;
    }
    return values[rank] as number;
  }

  private store(value: number): void {
    let values = this.exact as Float64Array;
    if (this.count === values.length) {
      if (this.count >= this.exactLimit) {
        this.foldIntoHistogram(value);
        return;
      }
      const grown = new Float64Array(Math.min(values.length * 2, Math.max(this.exactLimit, 1)));
      grown.set(values);
      this.exact = values = grown;
    }
    values[this.count] = value;
    this.sorted = false;
  }

  private foldIntoHistogram(value: number): void {
    const histogram = new LogLinearHistogram();
    const values = this.exact as Float64Array;
    for (let i = 0; i < this.count; i++) histogram.add(values[i] as number);
    histogram.add(value);
    this.histogram = histogram;
    this.exact = undefined;
  }
}
