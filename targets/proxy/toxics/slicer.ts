/**
 * slicer: each chunk is cut into pieces of `average_size` ± `size_variation` bytes (the last piece
 * takes the rest), each written on its own, `delay` µs apart. Timers have a 1 ms grain, so pieces
 * due within the same millisecond leave together but the schedule stays exact on average.
 */
import { performance } from 'node:perf_hooks';
import type { ToxicKind } from './stage.ts';
import { TimedQueue } from './timed-queue.ts';

export const slicer: ToxicKind<'average_size' | 'size_variation' | 'delay'> = {
  attributeNames: ['average_size', 'size_variation', 'delay'],
  check: (attributes) => {
    if (attributes.average_size < 1) return `average_size: ${attributes.average_size} is not allowed; expected an integer of at least 1`;
    if (attributes.size_variation >= attributes.average_size) {
      return `size_variation: ${attributes.size_variation} is not allowed; expected less than average_size (${attributes.average_size})`;
    }
    return undefined;
  },
  createStage(attributes, context) {
    const queue = new TimedQueue(() => context.out);
    const delayMs = attributes.delay / 1000;
    let nextAt = 0;
    return {
      write(chunk) {
        let offset = 0;
        for (const size of sliceSizes(chunk.length, attributes.average_size, attributes.size_variation)) {
          const at = Math.max(performance.now(), nextAt);
          queue.push(chunk.subarray(offset, offset + size), at);
          nextAt = at + delayMs;
          offset += size;
        }
      },
      end: () => queue.end(),
      flush: () => queue.flush(),
      dispose: () => void queue.dispose(),
    };
  },
};

/** Piece sizes for `total` bytes: each average ± variation (uniform), the last the rest. */
export function sliceSizes(total: number, average: number, variation: number, random: () => number = Math.random): number[] {
  const sizes: number[] = [];
  let left = total;
  while (left > average + variation) {
    const size = average - variation + Math.floor(random() * (2 * variation + 1));
    sizes.push(size);
    left -= size;
  }
  if (left > 0) sizes.push(left);
  return sizes;
}
