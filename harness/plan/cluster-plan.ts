import { definedOnly } from '../core/defined-only.ts';
import { InputError } from '../core/errors.ts';
import {
  defaultLbSettings,
  LB_BALANCE_ALGORITHMS,
  LB_SETTING_RANGES,
  LB_STICKINESS_MODES,
  type LbSettings,
} from '../../targets/lb/lb-settings.ts';
import { SCENARIO_ARCHITECTURES as ARCHITECTURES, type ScenarioArchitecture as Architecture } from '../scenario/schema.ts';

export { SCENARIO_ARCHITECTURES as ARCHITECTURES, type ScenarioArchitecture as Architecture } from '../scenario/schema.ts';

/**
 * Where each architecture keeps client state, as the reference app's STATE_STORE names it. Only the
 * stateful one keeps it in the replica, so only it needs no data tier.
 */
export const STATE_STORE: Record<Architecture, 'memory' | 'redis' | 'event-log'> = {
  stateful: 'memory',
  stateless: 'redis',
  'event-sourced': 'event-log',
};

export function needsDatastore(architecture: Architecture): boolean {
  return STATE_STORE[architecture] !== 'memory';
}

export interface ResourceLimits {
  memoryBytes: number;
  nanoCpus: number;
}

/** A cluster as a value: what `startCluster` will create for one trial. */
export interface ClusterPlan {
  runId: string;
  architecture: Architecture;
  replicas: number;
  /** Upper bound for scale-out: the load balancer has this many server slots. */
  maxReplicas: number;
  limits: { app: ResourceLimits; lb: ResourceLimits; datastore: ResourceLimits };
  readyTimeoutMs: number;
  /** Per-replica environment added to the app's (e.g. snapshot settings). */
  appEnv: Readonly<Record<string, string>>;
  /** Ledger history written to the data tier before the replicas start (event-sourced only; 0 = none). */
  seedEvents: number;
  /** How the load balancer connects, retries, checks and balances (defaults: targets/lb/lb-settings.ts). */
  lb: LbSettings;
}

export const MAX_REPLICAS_LIMIT = 32;

export interface ClusterPlanInput {
  runId: string;
  architecture: string;
  replicas: number;
  maxReplicas?: number;
  readyTimeoutMs?: number;
  appEnv?: Readonly<Record<string, string>>;
  seedEvents?: number;
  /** Load balancer settings that differ from the defaults. */
  lb?: Partial<LbSettings>;
}

const MiB = 1024 * 1024;
/** Redis memory per seeded ledger event, with room for the append-only file's rewrite. */
const SEED_BYTES_PER_EVENT = 400;

export function planCluster(input: ClusterPlanInput): ClusterPlan {
  if (!(ARCHITECTURES as readonly string[]).includes(input.architecture)) {
    throw new InputError('architecture', input.architecture, `one of ${ARCHITECTURES.join(', ')}`);
  }
  if (!Number.isInteger(input.replicas) || input.replicas < 1 || input.replicas > MAX_REPLICAS_LIMIT) {
    throw new InputError('replicas', input.replicas, `an integer from 1 to ${MAX_REPLICAS_LIMIT}`);
  }
  const maxReplicas = input.maxReplicas ?? Math.max(16, input.replicas);
  if (!Number.isInteger(maxReplicas) || maxReplicas < input.replicas || maxReplicas > MAX_REPLICAS_LIMIT) {
    throw new InputError(
      'max-replicas',
      input.maxReplicas,
      `an integer from replicas (${input.replicas}) to ${MAX_REPLICAS_LIMIT}`,
    );
  }
  const seedEvents = input.seedEvents ?? 0;
  if (seedEvents !== 0 && STATE_STORE[input.architecture as Architecture] !== 'event-log') {
    throw new InputError('seed-events', seedEvents, `0 for the ${input.architecture} architecture (only event-sourced has a ledger log to seed)`);
  }
  return {
    runId: input.runId,
    architecture: input.architecture as Architecture,
    replicas: input.replicas,
    maxReplicas,
    limits: {
      app: { memoryBytes: 256 * MiB, nanoCpus: 1e9 },
      lb: { memoryBytes: 256 * MiB, nanoCpus: 1e9 },
      // A seeded ledger lives in Redis: about 240 bytes per event (stream entry + history line), measured.
      datastore: { memoryBytes: 256 * MiB + seedEvents * SEED_BYTES_PER_EVENT, nanoCpus: 1e9 },
    },
    // Replicas replay the seeded history before they are ready (~150k events/s on one core, measured);
    // the margin covers several replicas replaying at once on a loaded machine.
    readyTimeoutMs: input.readyTimeoutMs ?? 30_000 + Math.ceil(seedEvents / 10),
    appEnv: input.appEnv ?? {},
    seedEvents,
    lb: planLbSettings(input.architecture, input.lb ?? {}),
  };
}

function planLbSettings(architecture: string, overrides: Partial<LbSettings>): LbSettings {
  const settings = { ...defaultLbSettings(architecture), ...definedOnly(overrides) };
  for (const [name, { min, max }] of Object.entries(LB_SETTING_RANGES)) {
    const value = settings[name as keyof typeof LB_SETTING_RANGES];
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new InputError(`lb.${name}`, value, `an integer from ${min} to ${max}`);
    }
  }
  if (!(LB_BALANCE_ALGORITHMS as readonly string[]).includes(settings.balance)) {
    throw new InputError('lb.balance', settings.balance, `one of ${LB_BALANCE_ALGORITHMS.join(', ')}`);
  }
  if (!(LB_STICKINESS_MODES as readonly string[]).includes(settings.stickiness)) {
    throw new InputError('lb.stickiness', settings.stickiness, `one of ${LB_STICKINESS_MODES.join(', ')}`);
  }
  return settings;
}
