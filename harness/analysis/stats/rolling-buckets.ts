/** What a bucket of the window collects, and how it is made, fed and emptied for reuse. */
export interface BucketKind<Bucket> {
  create(): Bucket;
  add(bucket: Bucket, value: number): void;
  reset(bucket: Bucket): void;
}

/**
 * One collector per bucket (a 1 s latency histogram, the exact samples of a 100 ms bucket, …), but
 * only for the last `windowBuckets` buckets seen: when a bucket's slot is needed for a newer bucket,
 * the old one is handed to `onClose` and the slot reused. Memory is the window, not the run. k6
 * writes points in about the order they happen (it flushes every second or so), so a window of half
 * a minute never closes a bucket that still gets points; a point older than the window is refused
 * (`record` returns false) and the caller counts it.
 */
export class RollingBuckets<Bucket> {
  private readonly slots: Bucket[];
  private readonly owners: Int32Array;
  private newest = -1;

  constructor(
    private readonly kind: BucketKind<Bucket>,
    private readonly windowBuckets: number,
    private readonly onClose: (bucket: number, collected: Bucket) => void,
  ) {
    this.slots = Array.from({ length: windowBuckets }, () => kind.create());
    this.owners = new Int32Array(windowBuckets).fill(-1);
  }

  record(bucket: number, value: number): boolean {
    if (bucket < 0 || bucket <= this.newest - this.windowBuckets) return false;
    if (bucket > this.newest) this.newest = bucket;
    const slot = bucket % this.windowBuckets;
    const collected = this.slots[slot];
    if (collected === undefined) return false;
    const owner = this.owners[slot] ?? -1;
    if (owner !== bucket) {
      if (owner >= 0) this.close(slot, owner, collected);
      this.owners[slot] = bucket;
    }
    this.kind.add(collected, value);
    return true;
  }

  /** Closes every open bucket, oldest first. */
  closeAll(): void {
    const open: Array<[number, number]> = [];
    this.owners.forEach((owner, slot) => {
      if (owner >= 0) open.push([owner, slot]);
    });
    open.sort((a, b) => a[0] - b[0]);
    for (const [owner, slot] of open) {
      const collected = this.slots[slot];
      if (collected !== undefined) this.close(slot, owner, collected);
    }
  }

  private close(slot: number, bucket: number, collected: Bucket): void {
    this.onClose(bucket, collected);
    this.kind.reset(collected);
    this.owners[slot] = -1;
  }
}
