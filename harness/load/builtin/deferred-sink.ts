import type { MetricDefinition, MetricSink, Sample } from '../contract.ts';

/**
 * Forwards to the real output once it exists; metrics defined before are replayed. The first VU's
 * init code defines its custom metrics before the options it exports, and so the output they
 * configure (the NDJSON, summaryTrendStats), are known.
 */
export class DeferredSink implements MetricSink {
  private readonly defined: MetricDefinition[] = [];
  private target: MetricSink | undefined;

  define(definition: MetricDefinition): void {
    this.defined.push(definition);
    this.target?.define(definition);
  }

  add(sample: Sample): void {
    this.target?.add(sample);
  }

  attach(target: MetricSink): void {
    this.target = target;
    for (const d of this.defined) target.define(d);
  }
}
