/**
 * bandwidth: at most `rate` KB/s through this direction of the connection (1 KB = 1000 bytes, as
 * Toxiproxy counts); 0 = no limit. A chunk leaves once the link would have finished sending it, in
 * slices of 10 ms' worth so that a large write trickles out instead of arriving in one late block.
 * The schedule is absolute (each slice after the previous one's end), so timer lateness does not add up.
 */
import { performance } from 'node:perf_hooks';
import { passThrough, type ToxicKind } from './stage.ts';
import { TimedQueue } from './timed-queue.ts';

const SLICE_MS = 10;

export const bandwidth: ToxicKind<'rate'> = {
  attributeNames: ['rate'],
  createStage(attributes, context) {
    const bytesPerMs = attributes.rate;
    if (bytesPerMs <= 0) return passThrough(context);
    const queue = new TimedQueue(() => context.out);
    const sliceBytes = Math.max(1, bytesPerMs * SLICE_MS);
    let busyUntil = 0;
    return {
      write(chunk) {
        for (let offset = 0; offset < chunk.length; offset += sliceBytes) {
          const slice = chunk.subarray(offset, offset + sliceBytes);
          busyUntil = Math.max(performance.now(), busyUntil) + slice.length / bytesPerMs;
          queue.push(slice, busyUntil);
        }
      },
      end: () => queue.end(),
      flush: () => queue.flush(),
      dispose: () => void queue.dispose(),
    };
  },
};
