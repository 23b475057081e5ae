import type { MetricDefinition, MetricSink, Sample } from '../contract.ts';
import type { RequestCount } from '../load-events.ts';

/**
 * Passes every sample on to the output and counts, by second, the `http_reqs` samples and the
 * `http_req_failed` ones that are 1: the engine's requests event (load-events.ts), taken from the
 * samples themselves rather than read back from the NDJSON.
 */
export class RequestTally implements MetricSink {
  private counts = new Map<number, RequestCount>();

  constructor(private readonly output: MetricSink) {}

  define(definition: MetricDefinition): void {
    this.output.define(definition);
  }

  add(sample: Sample): void {
    this.output.add(sample);
    if (sample.metric === 'http_reqs') this.countOf(sample.time).requests++;
    else if (sample.metric === 'http_req_failed' && sample.value === 1) this.countOf(sample.time).failed++;
  }

  /** What was counted since the last call, oldest second first; empty when nothing was. */
  take(): RequestCount[] {
    const counts = [...this.counts.values()].sort((a, b) => a.second - b.second);
    this.counts = new Map();
    return counts;
  }

  private countOf(time: number): RequestCount {
    const second = Math.floor(time / 1000);
    let count = this.counts.get(second);
    if (count === undefined) {
      count = { second, requests: 0, failed: 0 };
      this.counts.set(second, count);
    }
    return count;
  }
}
