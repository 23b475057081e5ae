import { SampleList } from './sample-list.ts';

/**
 * The exact samples of each bucket, but only for the last `windowBuckets` buckets seen: when a
 * bucket's slot is needed for a newer bucket, the old one is handed to `onClose` and the slot reused.
 * Memory is the samples of the window, not of the run. As with RollingSecondHistograms, a sample
 * older than the window is refused (`record` returns false) and the caller counts it.
 */
export class RollingBucketSamples {
  private readonly slots: SampleList[];
  private readonly owners: Int32Array;
  private newest = -1;

  constructor(
    private readonly windowBuckets: number,
    private readonly onClose: (bucket: number, samples: SampleList) => void,
  ) {
    this.slots = Array.from({ length: windowBuckets }, () => new SampleList());
    this.owners = new Int32Array(windowBuckets).fill(-1);
  }

  record(bucket: number, value: number): boolean {
    if (bucket < 0 || bucket <= this.newest - this.windowBuckets) return false;
    if (bucket > this.newest) this.newest = bucket;
    const slot = bucket % this.windowBuckets;
    const samples = this.slots[slot];
    if (samples === undefined) return false;
    const owner = this.owners[slot] ?? -1;
    if (owner !== bucket) {
      if (owner >= 0) this.close(slot, owner, samples);
      this.owners[slot] = bucket;
    }
    samples.push(value);
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
      const samples = this.slots[slot];
      if (samples !== undefined) this.close(slot, owner, samples);
    }
  }

  private close(slot: number, bucket: number, samples: SampleList): void {
    this.onClose(bucket, samples);
    samples.clear();
    this.owners[slot] = -1;
  }
}
