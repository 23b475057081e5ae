/**
 * The sections of a scenario parsed one by one, so that the cross-field rules can check what is
 * valid even when another section is not: every problem is reported in one go.
 */
import type * as z from 'zod';
import {
  DEFAULT_MAX_REPLICAS,
  faultSchema,
  SCENARIO_ARCHITECTURES,
  scenarioFileSchema,
  thresholdSchema,
  trialIdentity,
  type ParsedFault,
  type ParsedLoad,
  type ScenarioArchitecture,
  type Threshold,
} from './schema.ts';
import { expectedPhrase } from './zod-problems.ts';

/** One threshold that parsed, with where it sits in the file. */
export interface PlacedThreshold {
  who: string;
  index: number;
  threshold: Threshold;
}

export interface Parts {
  /** The distinct architectures of `architectures` when the whole list is valid. */
  architectures: ScenarioArchitecture[] | undefined;
  /** The entries of `architectures` that parsed, with their trial names and positions (even when others did not). */
  architectureEntries: { index: number; name: string; architecture: ScenarioArchitecture }[];
  replicas: number | undefined;
  /** The ceiling for scale-out: as given, or the default; undefined when unknown. */
  maxReplicas: number | undefined;
  load: ParsedLoad | undefined;
  /** Undefined when the load shape is missing or inconsistent. */
  loadDurationMs: number | undefined;
  /** One entry per fault in the file; undefined where that fault has field errors. */
  faults: (ParsedFault | undefined)[];
  /** true when the faults list and every fault in it parsed. */
  faultsComplete: boolean;
  /** Every threshold that parsed on its own, under a known key ("*" or an architecture). */
  thresholds: PlacedThreshold[];
}

const shape = scenarioFileSchema.shape;

function section<S extends z.ZodType>(schema: S, value: unknown): z.output<S> | undefined {
  const result = schema.safeParse(value, { error: expectedPhrase });
  return result.success ? result.data : undefined;
}

export function parseParts(raw: unknown): Parts {
  const record: Record<string, unknown> = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const replicas = section(shape.replicas, record['replicas']);
  const maxGiven = record['maxReplicas'] === undefined ? undefined : section(shape.maxReplicas, record['maxReplicas']);
  const load = section(shape.load, record['load']);
  const rawFaults = record['faults'] ?? [];
  const faults = Array.isArray(rawFaults) ? rawFaults.map((fault) => section(faultSchema, fault)) : [];
  const rawArchitectures = Array.isArray(record['architectures']) ? (record['architectures'] as unknown[]) : [];
  const entries = section(shape.architectures, record['architectures']);
  return {
    architectures: entries === undefined ? undefined : [...new Set(entries.map((entry) => trialIdentity(entry).architecture))],
    architectureEntries: rawArchitectures.flatMap((raw, index) => {
      const entry = section(shape.architectures.element, raw);
      return entry === undefined ? [] : [{ index, ...trialIdentity(entry) }];
    }),
    replicas,
    maxReplicas: maxGiven ?? (record['maxReplicas'] === undefined && replicas !== undefined ? Math.max(DEFAULT_MAX_REPLICAS, replicas) : undefined),
    load,
    loadDurationMs: load === undefined ? undefined : loadDuration(load),
    faults,
    faultsComplete: Array.isArray(rawFaults) && rawFaults.length <= 100 && faults.every((fault) => fault !== undefined),
    thresholds: placeThresholds(record['thresholds']),
  };
}

function isArchitecture(name: unknown): name is ScenarioArchitecture {
  return (SCENARIO_ARCHITECTURES as readonly unknown[]).includes(name);
}

function placeThresholds(raw: unknown): PlacedThreshold[] {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return [];
  const placed: PlacedThreshold[] = [];
  for (const [who, list] of Object.entries(raw as Record<string, unknown>)) {
    if (who !== '*' && !isArchitecture(who)) continue;
    if (!Array.isArray(list)) continue;
    list.forEach((entry: unknown, index) => {
      const threshold = section(thresholdSchema, entry);
      if (threshold !== undefined) placed.push({ who, index, threshold });
    });
  }
  return placed;
}

/** The load's total duration when its shape is consistent (exactly one of vus, stages, arrivalRate). */
export function loadDuration(load: ParsedLoad): number | undefined {
  const shapes = [load.vus, load.stages, load.arrivalRate].filter((s) => s !== undefined).length;
  if (shapes !== 1) return undefined;
  if (load.stages !== undefined) {
    if (load.duration !== undefined) return undefined;
    const total = load.stages.reduce((sum, stage) => sum + stage.duration, 0);
    return total > 0 ? total : undefined;
  }
  return load.duration;
}
