import type { MetricDefinition, MetricType, MetricContains } from '../contract.ts';
import { K6ConfigError } from './errors.ts';

const METRIC_TYPES: ReadonlySet<string> = new Set<MetricType>(['counter', 'gauge', 'rate', 'trend']);
const CONTAINS: ReadonlySet<string> = new Set<MetricContains>(['default', 'time', 'data']);
/** k6 v0.49's rule for metric names (metrics/registry.go). */
const METRIC_NAME = /^[\p{L}\p{N}._ !?/&#()<>%-]{1,128}$/u;

/** Metric definitions by name; redefining a name with another type or content is an error, as in k6. */
export class MetricRegistry {
  private readonly byName = new Map<string, MetricDefinition>();

  define(definition: MetricDefinition): MetricDefinition {
    const existing = this.byName.get(definition.name);
    if (existing !== undefined) {
      if (existing.type !== definition.type || existing.contains !== definition.contains) {
        throw new K6ConfigError(
          `metric "${definition.name}" already exists as a ${existing.type} (contains ${existing.contains}); ` +
            `it cannot be redefined as a ${definition.type} (contains ${definition.contains})`,
        );
      }
      return existing;
    }
    if (!METRIC_NAME.test(definition.name)) {
      throw new K6ConfigError(
        `invalid metric name ${JSON.stringify(definition.name)}: it must be 1 to 128 letters, digits or ._ !?/&#()<>%-`,
      );
    }
    if (!METRIC_TYPES.has(definition.type)) {
      throw new K6ConfigError(`metric "${definition.name}": unknown type ${JSON.stringify(definition.type)}`);
    }
    if (!CONTAINS.has(definition.contains)) {
      throw new K6ConfigError(`metric "${definition.name}": unknown contains ${JSON.stringify(definition.contains)}`);
    }
    const frozen = Object.freeze({ name: definition.name, type: definition.type, contains: definition.contains });
    this.byName.set(frozen.name, frozen);
    return frozen;
  }

  get(name: string): MetricDefinition | undefined {
    return this.byName.get(name);
  }

  all(): MetricDefinition[] {
    return [...this.byName.values()];
  }
}
