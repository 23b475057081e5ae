import type { MetricDefinition, MetricSink, Sample } from '../contract.ts';
import { RequestCounter } from '../request-counter.ts';

/**
 * Passes every sample on to the output and counts, by second, the `http_reqs` samples and the
 * `http_req_failed` ones that are 1: the engine's requests event (load-events.ts), taken from the
 * samples themselves rather than read back from the NDJSON.
 */
export class RequestTally implements MetricSink {
  readonly counts = new RequestCounter();

  constructor(private readonly output: MetricSink) {}

  define(definition: MetricDefinition): void {
    this.output.define(definition);
  }

  add(sample: Sample): void {
    this.output.add(sample);
    if (sample.metric === 'http_reqs') this.counts.request(sample.time);
    else if (sample.metric === 'http_req_failed' && sample.value === 1) this.counts.failure(sample.time);
  }
}
