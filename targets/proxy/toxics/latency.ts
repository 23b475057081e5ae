/**
 * latency: each chunk leaves `latency` ± `jitter` ms after it reached the toxic (jitter uniform in
 * [-jitter, jitter), never below 0), in order — a chunk is never sent before the one ahead of it.
 * Counting from arrival, not from the previous chunk's departure, keeps a stream's throughput: two
 * chunks 1 ms apart leave about 1 ms apart, as in Toxiproxy, and stacked latency toxics add up.
 */
import { performance } from 'node:perf_hooks';
import type { ToxicKind } from './stage.ts';
import { TimedQueue } from './timed-queue.ts';

export const latency: ToxicKind<'latency' | 'jitter'> = {
  attributeNames: ['latency', 'jitter'],
  createStage(attributes, context) {
    const queue = new TimedQueue(() => context.out);
    const delay = (): number => Math.max(0, attributes.latency + (attributes.jitter > 0 ? (Math.random() * 2 - 1) * attributes.jitter : 0));
    return {
      write: (chunk) => queue.push(chunk, performance.now() + delay()),
      end: () => queue.end(),
      flush: () => queue.flush(),
      dispose: () => void queue.dispose(),
    };
  },
};
