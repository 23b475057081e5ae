import type { MetricType } from '../contract.ts';
import { TrendSink } from './trend.ts';

/** Aggregates of one metric or submetric, with k6 v0.49's semantics (metrics/sink.go). */
export class CounterSink {
  readonly type = 'counter';
  value = 0;
  isEmpty = true;

  add(value: number): void {
    this.value += value;
    this.isEmpty = false;
  }
}

export class GaugeSink {
  readonly type = 'gauge';
  /** The last value added. */
  value = 0;
  min = 0;
  max = 0;
  isEmpty = true;

  add(value: number): void {
    this.value = value;
    if (this.isEmpty || value > this.max) this.max = value;
    if (this.isEmpty || value < this.min) this.min = value;
    this.isEmpty = false;
  }
}

export class RateSink {
  readonly type = 'rate';
  trues = 0;
  total = 0;

  get isEmpty(): boolean {
    return this.total === 0;
  }

  add(value: number): void {
    this.total++;
    if (value !== 0) this.trues++;
  }
}

export { TrendSink };
export type Sink = CounterSink | GaugeSink | RateSink | TrendSink;

export function createSink(type: MetricType, trendExactLimit?: number): Sink {
  switch (type) {
    case 'counter':
      return new CounterSink();
    case 'gauge':
      return new GaugeSink();
    case 'rate':
      return new RateSink();
    case 'trend':
      return new TrendSink(trendExactLimit);
  }
}
