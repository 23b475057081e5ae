/** Builds the resolved Scenario from a file that passed every rule. */
import { definedOnly } from '../core/defined-only.ts';
import { FAULT_TRAITS } from '../core/fault-actions.ts';
import { DEFAULT_MAX_VUS_FLOOR, DEFAULT_PRE_ALLOCATED_VUS } from '../../k6-scripts/lib/env-contract.ts';
import { loadDuration } from './parts.ts';
import { placeFaults } from './rules/offsets.ts';
import type { LbSettings } from '../../targets/lb/lb-settings.ts';
import {
  DEFAULT_MAX_REPLICAS,
  SCENARIO_ARCHITECTURES,
  type ArchitectureEntry,
  type ParsedLb,
  type ParsedLoad,
  type ParsedThresholds,
  type ScenarioFile,
  type Threshold,
  trialIdentity,
} from './schema.ts';
import type { LoadShape, Scenario, ScenarioArchitecture, ScenarioFault, ScenarioTrial } from './types.ts';

export function normalise(file: ScenarioFile, scriptPath: string, source: string): Scenario {
  const durationMs = loadDuration(file.load);
  if (durationMs === undefined) throw new Error('normalise() needs a load that passed the load rules');
  const faults: ScenarioFault[] = placeFaults(file.faults, durationMs).map(({ index, atMs, fault }) => ({
    index,
    at: fault.at.text,
    atMs,
    action: fault.action,
    target: FAULT_TRAITS[fault.action].target === null ? null : (fault.target ?? 'newest'),
    count: fault.count ?? 1,
    forMs: fault.for,
  }));
  const trials = file.architectures.map((entry) => scenarioTrial(entry, file.app, file.lb));
  return {
    source,
    name: file.name,
    description: file.description,
    seed: file.seed,
    architectures: [...new Set(trials.map((trial) => trial.architecture))],
    trials,
    replicas: file.replicas,
    maxReplicas: file.maxReplicas ?? Math.max(DEFAULT_MAX_REPLICAS, file.replicas),
    faultWindowMs: file.faultWindow,
    load: {
      script: scriptPath,
      scriptAsWritten: file.load.script,
      engine: file.load.engine,
      env: file.load.env,
      shape: loadShape(file.load, durationMs),
      durationMs,
    },
    faults,
    thresholds: resolveThresholds(file.thresholds),
  };
}

/** A plain architecture is a trial of its own name with the scenario's app settings; a variant adds its own. */
function scenarioTrial(entry: ArchitectureEntry, app: ScenarioFile['app'], lb: ParsedLb): ScenarioTrial {
  const { name, architecture } = trialIdentity(entry);
  const own = typeof entry === 'string' ? undefined : entry.app;
  return {
    name,
    architecture,
    appEnv: { ...app.env, ...own?.env },
    seedEvents: architecture === 'event-sourced' ? (own?.seedEvents ?? app.seedEvents) : 0,
    lb: lbSettings({ ...lb, ...definedOnly(typeof entry === 'string' ? {} : entry.lb) }),
  };
}

/** The scenario's names (durations already in ms) → the plan's; only what the file sets. */
function lbSettings(lb: ParsedLb): Partial<LbSettings> {
  return definedOnly({
    connectTimeoutMs: lb.connectTimeout,
    retries: lb.retries,
    checkIntervalMs: lb.checkInterval,
    fall: lb.fall,
    rise: lb.rise,
    balance: lb.balance,
    stickiness: lb.stickiness,
  });
}

function loadShape(load: ParsedLoad, durationMs: number): LoadShape {
  if (load.stages !== undefined) {
    return { executor: 'ramping-vus', stages: load.stages.map((stage) => ({ durationMs: stage.duration, target: stage.target })) };
  }
  if (load.arrivalRate !== undefined) {
    const { rate, timeUnit, maxVUs } = load.arrivalRate;
    const preAllocatedVUs = load.arrivalRate.preAllocatedVUs ?? Math.min(DEFAULT_PRE_ALLOCATED_VUS, maxVUs ?? DEFAULT_PRE_ALLOCATED_VUS);
    return { executor: 'constant-arrival-rate', rate, timeUnitMs: timeUnit, preAllocatedVUs, maxVUs: maxVUs ?? Math.max(preAllocatedVUs, DEFAULT_MAX_VUS_FLOOR), durationMs };
  }
  return { executor: 'constant-vus', vus: load.vus ?? 1, durationMs };
}

/** "*" applies to every architecture; an architecture's own threshold for the same metric and scope replaces it. */
function resolveThresholds(thresholds: ParsedThresholds): Record<ScenarioArchitecture, Threshold[]> {
  const forArchitecture = (architecture: ScenarioArchitecture): Threshold[] => {
    const own = thresholds[architecture] ?? [];
    const shared = (thresholds['*'] ?? []).filter((t) => !own.some((o) => o.metric === t.metric && o.scope === t.scope));
    return [...shared, ...own];
  };
  const entries = SCENARIO_ARCHITECTURES.map((architecture) => [architecture, forArchitecture(architecture)] as const);
  return Object.fromEntries(entries) as Record<ScenarioArchitecture, Threshold[]>;
}
