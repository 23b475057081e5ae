/** `k6/metrics`: Counter, Gauge, Rate, Trend — custom metrics whose samples carry the VU's tags. */
import type { MetricType } from '../../contract.ts';
import type { ModuleVu } from './module-vu.ts';

const NAME_RE = /^[a-zA-Z_][a-zA-Z0-9_]{0,127}$/;

export function createMetricsModule(vu: ModuleVu): Record<string, unknown> {
  const make = (type: MetricType) =>
    class CustomMetric {
      readonly name: string;
      readonly type: MetricType = type;
      constructor(name: unknown, isTime?: unknown) {
        if (vu.phase !== 'init') throw new Error('metrics must be declared in the init context');
        const metricName = String(name);
        if (!NAME_RE.test(metricName)) {
          throw new Error(`Invalid metric name: '${metricName}'. Metric names must be 1-128 ASCII letters, numbers, or underscores, and start with a letter or underscore`);
        }
        this.name = metricName;
        vu.run.define({ name: metricName, type, contains: type === 'trend' && isTime === true ? 'time' : 'default' });
      }
      add(value: unknown, tags?: unknown): boolean {
        if (vu.phase === 'init') throw new Error('Adding to metrics in the init context is not supported');
        let v: number;
        if (type === 'rate') v = value ? 1 : 0;
        else if (typeof value === 'boolean') v = value ? 1 : 0;
        else v = Number(value);
        if (Number.isNaN(v)) throw new Error(`'${String(value)}' is an invalid value for metric '${this.name}', a number or a boolean value is expected`);
        const sampleTags = vu.baseTags();
        if (tags && typeof tags === 'object') for (const [k, t] of Object.entries(tags)) sampleTags[k] = String(t);
        vu.run.emit(this.name, v, sampleTags);
        return true;
      }
    };
  const api = { Counter: make('counter'), Gauge: make('gauge'), Rate: make('rate'), Trend: make('trend') };
  return { ...api, default: api };
}
