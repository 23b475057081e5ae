/**
 * The scenario after validation and normalisation: durations in milliseconds, percentages turned
 * into offsets, the script path absolute, faults in timeline order, thresholds per architecture.
 * Derived from the schema's inferred types so the two cannot drift apart.
 */
import type { LbSettings } from '../../targets/lb/lb-settings.ts';
import type { FaultAction } from '../core/fault-actions.ts';
import type { FaultTarget, ParsedLoad, ScenarioArchitecture, ScenarioFile, Threshold } from './schema.ts';

export type { FaultTarget, ScenarioArchitecture, Threshold } from './schema.ts';

export interface Stage {
  durationMs: number;
  target: number;
}

/** The load shape, named after the k6 executor it becomes. */
export type LoadShape =
  | { executor: 'constant-vus'; vus: number; durationMs: number }
  | { executor: 'ramping-vus'; stages: Stage[] }
  | { executor: 'constant-arrival-rate'; rate: number; timeUnitMs: number; preAllocatedVUs: number; maxVUs: number; durationMs: number };

export type ScenarioLoad = Pick<ParsedLoad, 'engine' | 'env'> & {
  /** Absolute path of the k6 script. */
  script: string;
  /** The path as the scenario wrote it. */
  scriptAsWritten: string;
  shape: LoadShape;
  /** Total load duration (the sum of the stages for ramping-vus). */
  durationMs: number;
};

export interface ScenarioFault {
  /** Position in the file's `faults` list: messages and fault events call it faults[index]. */
  index: number;
  /** The offset as written ("20s", "33%"). */
  at: string;
  /** Offset from the start of the load, in ms (percentages resolved against the load duration). */
  atMs: number;
  action: FaultAction;
  /** null for scale-out, which adds replicas rather than choosing one; "newest" by default for scale-in. */
  target: FaultTarget | null;
  /** Replicas added or removed by scale-out / scale-in; 1 for every other action. */
  count: number;
  /** pause / partition: revert automatically after this long. */
  forMs: number | undefined;
}

/** One trial of the scenario: an architecture under a name, with the app settings it runs with. */
export interface ScenarioTrial {
  /** Unique in the scenario: the architecture's own name, or the variant's. */
  name: string;
  architecture: ScenarioArchitecture;
  /** The scenario's app.env with the variant's on top. */
  appEnv: Record<string, string>;
  /** Ledger history appended before the replicas start; always 0 except for event-sourced trials. */
  seedEvents: number;
  /** Load balancer settings the scenario sets (the variant's over the scenario's); the rest are the defaults. */
  lb: Partial<LbSettings>;
}

export type Scenario = Pick<ScenarioFile, 'name' | 'description' | 'seed' | 'replicas'> & {
  /** The file it came from (or the label given to validateScenario). */
  source: string;
  /** The distinct architectures of the trials, in order of first appearance. */
  architectures: ScenarioArchitecture[];
  /** In the order the file lists them. */
  trials: ScenarioTrial[];
  /** Load balancer slots: the given value, or max(16, replicas). */
  maxReplicas: number;
  faultWindowMs: number;
  load: ScenarioLoad;
  /** Sorted by atMs, then by position in the file. */
  faults: ScenarioFault[];
  /** Resolved per architecture: "*" entries merged with the architecture's own (which win per metric and scope). */
  thresholds: Record<ScenarioArchitecture, Threshold[]>;
};
