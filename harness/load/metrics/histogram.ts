/**
 * A log-linear histogram over doubles: each power of two is split into 2^SUB_BITS equal buckets, read
 * straight from the IEEE 754 bits (exponent + top mantissa bits). No unit or range has to be chosen
 * up front (values from nanoseconds to hours, zero and negatives all fit), and a bucket's midpoint is
 * within 2^-(SUB_BITS+1) ≈ 0.05 % of any value in it. Memory is one map entry per occupied bucket:
 * latencies spanning 1 µs..100 s occupy at most ~27 k buckets, whatever the sample count.
 */

const SUB_BITS = 10;
const SHIFT = 20 - SUB_BITS;
const scratch = new Float64Array(1);
const words = new Uint32Array(scratch.buffer);
/** Index of the word holding sign, exponent and the top 20 mantissa bits. */
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

/** A sortable bucket key: 0 for zero, positive for positive values, negative (mirrored) otherwise. */
function bucketKey(value: number): number {
  if (value === 0) return 0;
  scratch[0] = value;
  const hi = words[HI] as number;
  const index = (hi & 0x7fffffff) >>> SHIFT;
  return hi >>> 31 === 1 ? -index : index;
}

function bucketLowerBound(index: number): number {
  words[HI] = index << SHIFT;
  words[LO] = 0;
  return scratch[0] as number;
}

/** The value standing for a bucket: exactly 0 for zero, else the bucket's midpoint. */
function bucketValue(key: number): number {
  if (key === 0) return 0;
  const index = Math.abs(key);
  const mid = (bucketLowerBound(index) + bucketLowerBound(index + 1)) / 2;
  return key < 0 ? -mid : mid;
}

export class LogLinearHistogram {
  private readonly counts = new Map<number, number>();
  private total = 0;
  private sortedKeys: number[] = [];
  private cumulative: number[] = [];
  private dirty = false;

  get count(): number {
    return this.total;
  }

  get bucketCount(): number {
    return this.counts.size;
  }

  add(value: number): void {
    const key = bucketKey(value);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.total++;
    this.dirty = true;
  }

  /** The (approximate) value of the sample at 0-based rank `rank` in ascending order. */
  valueAtRank(rank: number): number {
    if (this.total === 0) return 0;
    this.index();
    const target = Math.min(Math.max(rank, 0), this.total - 1);
    let low = 0;
    let high = this.cumulative.length - 1;
    // First bucket whose cumulative count exceeds the rank.
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.cumulative[mid] as number) > target) high = mid;
      else low = mid + 1;
    }
    return bucketValue(this.sortedKeys[low] as number);
  }

  private index(): void {
    if (!this.dirty) return;
    this.sortedKeys = [...this.counts.keys()].sort((a, b) => a - b);
    this.cumulative = new Array<number>(this.sortedKeys.length);
    let running = 0;
    for (let i = 0; i < this.sortedKeys.length; i++) {
      running += this.counts.get(this.sortedKeys[i] as number) as number;
      this.cumulative[i] = running;
    }
    this.dirty = false;
  }
}
