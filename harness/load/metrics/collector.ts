import type { MetricDefinition, MetricSink, Sample, Tags } from '../contract.ts';
import { EXPECTED_RESPONSE_SUBMETRIC } from './builtin-metrics.ts';
import { K6ConfigError } from './errors.ts';
import { GroupTree, type GroupNode } from './group-tree.ts';
import { MetricRegistry } from './registry.ts';
import { parseMetricSelector, sameTags, type SubmetricSelector } from './selector.ts';
import { createSink, type Sink } from './sinks.ts';
import {
  createThresholds,
  normalizeThresholdsOption,
  runThresholds,
  type Threshold,
  type ThresholdConfig,
} from './thresholds.ts';

/** What k6's JSON output says about a metric in its "Metric" line. */
export interface MetricDescription {
  definition: MetricDefinition;
  /** Thresholds on the metric itself (a submetric's thresholds are not listed on its parent). */
  thresholds: readonly ThresholdConfig[];
  submetrics: readonly SubmetricSelector[];
}

/** A read-only view of one metric or submetric for summaries. */
export interface MetricView {
  /** `name`, or `name{tag:value}` for a submetric. */
  name: string;
  definition: MetricDefinition;
  sink: Readonly<Sink>;
  thresholds: readonly Threshold[];
}

export interface ThresholdEvaluation {
  /** Names of metrics and submetrics with at least one failing threshold, sorted. */
  breached: string[];
  /** A failing threshold with abortOnFail (past its delayAbortEval) asks to stop the run. */
  abort: boolean;
}

export interface CollectorOptions {
  /** Values a trend keeps exactly before folding into a histogram (see trend.ts). */
  trendExactLimit?: number;
}

export interface ThresholdSetup {
  /** k6's `options.thresholds`, as the script exported it. */
  thresholds?: unknown;
  /** Add `http_req_duration{expected_response:true}` as k6 does (default true). */
  expectedResponseSubmetric?: boolean;
}

interface Target {
  name: string;
  definition: MetricDefinition;
  sink: Sink;
  /** Shown in the summary: it had a sample, or thresholds were set on it (or on a submetric). */
  observed: boolean;
  thresholds: Threshold[];
  thresholdConfigs: ThresholdConfig[];
  aborting: boolean;
}

interface SubmetricState extends Target {
  selector: SubmetricSelector;
  tagKeys: string[];
  tagValues: string[];
}

interface MetricState extends Target {
  submetrics: SubmetricState[];
  isChecks: boolean;
}

/**
 * k6's metrics engine: aggregates every sample per metric and per submetric, rebuilds the group and
 * check tree, and evaluates thresholds. Usage: define metrics, then `configureThresholds` (after the
 * script's init code has defined its custom metrics, before the first sample), then `add` samples.
 */
export class MetricsCollector implements MetricSink {
  readonly registry = new MetricRegistry();
  private readonly states = new Map<string, MetricState>();
  private readonly groups = new GroupTree();
  private readonly thresholdTargets: Target[] = [];
  private lastGroupPath: string | undefined;

  constructor(private readonly options: CollectorOptions = {}) {}

  define(definition: MetricDefinition): void {
    const registered = this.registry.define(definition);
    if (this.states.has(registered.name)) return;
    this.states.set(registered.name, {
      ...this.newTarget(registered.name, registered),
      submetrics: [],
      isChecks: registered.name === 'checks',
    });
  }

  add(sample: Sample): void {
    const state = this.states.get(sample.metric);
    if (state === undefined) {
      throw new Error(`metric "${sample.metric}" received a sample before it was defined`);
    }
    const { value, tags } = sample;
    state.sink.add(value);
    state.observed = true;
    const submetrics = state.submetrics;
    for (let i = 0; i < submetrics.length; i++) {
      const submetric = submetrics[i] as SubmetricState;
      if (matches(submetric, tags)) {
        submetric.sink.add(value);
        submetric.observed = true;
      }
    }
    const group = tags['group'];
    if (group !== undefined && group !== this.lastGroupPath) {
      this.groups.group(group);
      this.lastGroupPath = group;
    }
    if (state.isChecks) {
      const check = tags['check'];
      if (check !== undefined) this.groups.recordCheck(group ?? '', check, value !== 0);
    }
  }

  /**
   * Sets up thresholds and submetrics from `options.thresholds`, validated as k6 does: expression
   * syntax, the metric must exist, and the method must suit its type. Throws K6ConfigError.
   */
  configureThresholds(setup: ThresholdSetup = {}): void {
    for (const entry of normalizeThresholdsOption(setup.thresholds)) {
      const selector = parseMetricSelector(entry.key);
      const parent = this.states.get(selector.metric);
      if (parent === undefined) {
        throw new K6ConfigError(
          `invalid threshold defined on "${entry.key}": no metric named "${selector.metric}" found`,
          'custom metrics must be created in the init context (outside the default function) to have thresholds',
        );
      }
      const target = selector.submetric === undefined ? parent : this.submetricOf(parent, selector.submetric);
      target.thresholds = createThresholds(entry.key, parent.definition.type, entry.configs);
      target.thresholdConfigs = entry.configs;
      if (!this.thresholdTargets.includes(target)) this.thresholdTargets.push(target);
      target.observed = true;
      parent.observed = true;
    }
    if (setup.expectedResponseSubmetric !== false) {
      const selector = parseMetricSelector(EXPECTED_RESPONSE_SUBMETRIC);
      const parent = this.states.get(selector.metric);
      if (parent !== undefined && selector.submetric !== undefined) this.submetricOf(parent, selector.submetric);
    }
  }

  get hasThresholds(): boolean {
    return this.thresholdTargets.some((target) => target.thresholds.length > 0);
  }

  /**
   * Evaluates every threshold. During the run k6 skips metrics without samples (`ignoreEmpty`); at the
   * end it does not, so a threshold on a rate that never got a sample fails.
   */
  evaluateThresholds(elapsedMs: number, ignoreEmpty: boolean): ThresholdEvaluation {
    const breached: string[] = [];
    let abort = false;
    for (const target of this.thresholdTargets) {
      if (target.thresholds.length === 0 || (ignoreEmpty && target.sink.isEmpty)) continue;
      const outcome = runThresholds(target.thresholds, target.sink, elapsedMs, target.aborting);
      target.aborting = outcome.abort;
      if (outcome.passed) continue;
      breached.push(target.name);
      if (outcome.abort) abort = true;
    }
    breached.sort();
    return { breached, abort };
  }

  /** What k6's NDJSON "Metric" line says about `name`; undefined for an unknown metric. */
  describe(name: string): MetricDescription | undefined {
    const state = this.states.get(name);
    if (state === undefined) return undefined;
    return {
      definition: state.definition,
      thresholds: state.thresholdConfigs,
      submetrics: state.submetrics.map((submetric) => submetric.selector),
    };
  }

  /** Metrics and submetrics that belong in the summary, each parent followed by its submetrics. */
  observedMetrics(): MetricView[] {
    const views: MetricView[] = [];
    for (const state of this.states.values()) {
      if (state.observed) views.push(view(state));
      for (const submetric of state.submetrics) if (submetric.observed) views.push(view(submetric));
    }
    return views;
  }

  get rootGroup(): GroupNode {
    return this.groups.rootGroup;
  }

  private submetricOf(parent: MetricState, selector: SubmetricSelector): SubmetricState {
    const existing = parent.submetrics.find((submetric) => sameTags(submetric.selector.tags, selector.tags));
    if (existing !== undefined) return existing;
    const tagKeys = Object.keys(selector.tags);
    const submetric: SubmetricState = {
      ...this.newTarget(selector.name, parent.definition),
      selector,
      tagKeys,
      tagValues: tagKeys.map((key) => selector.tags[key] ?? ''),
    };
    parent.submetrics.push(submetric);
    return submetric;
  }

  private newTarget(name: string, definition: MetricDefinition): Target {
    return {
      name,
      definition,
      sink: createSink(definition.type, this.options.trendExactLimit),
      observed: false,
      thresholds: [],
      thresholdConfigs: [],
      aborting: false,
    };
  }
}

function matches(submetric: SubmetricState, tags: Tags): boolean {
  const keys = submetric.tagKeys;
  for (let i = 0; i < keys.length; i++) {
    if (tags[keys[i] as string] !== submetric.tagValues[i]) return false;
  }
  return true;
}

function view(target: Target): MetricView {
  return { name: target.name, definition: target.definition, sink: target.sink, thresholds: target.thresholds };
}
