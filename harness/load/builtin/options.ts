/**
 * k6's options as the built-in engine uses them: CLI overrides merged with k6's precedence
 * (a CLI `--duration`/`--iterations` replaces the script's whole execution block, `--vus` merges on
 * its own), the shortcut options turned into a scenario, and every scenario checked and filled with
 * k6's defaults (gracefulStop 30s, gracefulRampDown 30s, maxDuration 10m, timeUnit 1s, …).
 */
import { K6ConfigError } from '../metrics/errors.ts';
import { parseK6Duration } from '../metrics/go-time.ts';

export interface Stage {
  durationMs: number;
  target: number;
}

interface ScenarioBase {
  name: string;
  startTimeMs: number;
  gracefulStopMs: number;
  exec: string;
  env: Record<string, string>;
  tags: Record<string, string>;
}

export type ScenarioConfig = ScenarioBase &
  (
    | { executor: 'constant-vus'; vus: number; durationMs: number }
    | { executor: 'ramping-vus'; startVUs: number; stages: Stage[]; gracefulRampDownMs: number }
    | { executor: 'per-vu-iterations'; vus: number; iterations: number; maxDurationMs: number }
    | { executor: 'shared-iterations'; vus: number; iterations: number; maxDurationMs: number }
    | { executor: 'constant-arrival-rate'; rate: number; timeUnitMs: number; durationMs: number; preAllocatedVUs: number; maxVUs: number }
    | { executor: 'ramping-arrival-rate'; startRate: number; timeUnitMs: number; stages: Stage[]; preAllocatedVUs: number; maxVUs: number }
  );

/** The executors the built-in engine runs (executors/registry.ts has one for each). */
export type ExecutorName = ScenarioConfig['executor'];

export interface ScriptOptions {
  tags: Record<string, string>;
  thresholds: unknown;
  maxRedirects: number | undefined;
  discardResponseBodies: boolean;
  /** k6 empties each VU's default cookie jar at every iteration unless this is set. */
  noCookiesReset: boolean;
  userAgent: string | undefined;
  setupTimeoutMs: number;
  teardownTimeoutMs: number;
  summaryTrendStats: string[] | undefined;
  summaryTimeUnit: string | undefined;
  scenarios: ScenarioConfig[];
  /** The script's options object as exported (exec.test.options). */
  raw: Record<string, unknown>;
}

export interface CliOverrides {
  vus?: number;
  duration?: string;
  iterations?: number;
}

const DEFAULT_SCENARIO = 'default';

function duration(value: unknown, field: string, fallback?: number): number {
  if (value === undefined || value === null) {
    if (fallback === undefined) throw new K6ConfigError(`${field} is required`);
    return fallback;
  }
  const ms = parseK6Duration(value);
  if (ms === undefined || ms < 0) throw new K6ConfigError(`${field}: invalid duration ${JSON.stringify(value)}`);
  return ms;
}

function integer(value: unknown, field: string, fallback: number, min = 0): number {
  if (value === undefined || value === null) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new K6ConfigError(`${field}: must be an integer >= ${min}, got ${JSON.stringify(value)}`);
  return n;
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out[k] = String(v);
  return out;
}

function stages(value: unknown, field: string): Stage[] {
  if (!Array.isArray(value)) throw new K6ConfigError(`${field}: stages must be an array`);
  return value.map((s: unknown, i) => {
    const stage = (s ?? {}) as { duration?: unknown; target?: unknown };
    return { durationMs: duration(stage.duration, `${field}[${i}].duration`), target: integer(stage.target, `${field}[${i}].target`, 0) };
  });
}

function scenario(name: string, raw: Record<string, unknown>): ScenarioConfig {
  const field = `scenarios.${name}`;
  const base: ScenarioBase = {
    name,
    startTimeMs: duration(raw['startTime'], `${field}.startTime`, 0),
    gracefulStopMs: duration(raw['gracefulStop'], `${field}.gracefulStop`, 30_000),
    exec: typeof raw['exec'] === 'string' ? raw['exec'] : 'default',
    env: stringMap(raw['env']),
    tags: stringMap(raw['tags']),
  };
  const executor = raw['executor'];
  switch (executor) {
    case 'constant-vus':
      return { ...base, executor, vus: integer(raw['vus'], `${field}.vus`, 1, 1), durationMs: duration(raw['duration'], `${field}.duration`) };
    case 'ramping-vus':
      return {
        ...base,
        executor,
        startVUs: integer(raw['startVUs'], `${field}.startVUs`, 1),
        stages: stages(raw['stages'], `${field}.stages`),
        gracefulRampDownMs: duration(raw['gracefulRampDown'], `${field}.gracefulRampDown`, 30_000),
      };
    case 'per-vu-iterations':
    case 'shared-iterations': {
      const vus = integer(raw['vus'], `${field}.vus`, 1, 1);
      const iterations = integer(raw['iterations'], `${field}.iterations`, 1, 1);
      if (executor === 'shared-iterations' && iterations < vus) {
        throw new K6ConfigError(`${field}: the number of iterations (${iterations}) can't be less than the number of VUs (${vus})`);
      }
      return { ...base, executor, vus, iterations, maxDurationMs: duration(raw['maxDuration'], `${field}.maxDuration`, 600_000) };
    }
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate': {
      const preAllocatedVUs = integer(raw['preAllocatedVUs'], `${field}.preAllocatedVUs`, 0);
      const maxVUs = Math.max(preAllocatedVUs, integer(raw['maxVUs'], `${field}.maxVUs`, preAllocatedVUs));
      if (maxVUs < 1) throw new K6ConfigError(`${field}: preAllocatedVUs or maxVUs must be at least 1`);
      const timeUnitMs = duration(raw['timeUnit'], `${field}.timeUnit`, 1000);
      if (executor === 'constant-arrival-rate') {
        return { ...base, executor, rate: integer(raw['rate'], `${field}.rate`, 0, 1), timeUnitMs, durationMs: duration(raw['duration'], `${field}.duration`), preAllocatedVUs, maxVUs };
      }
      return { ...base, executor, startRate: integer(raw['startRate'], `${field}.startRate`, 0), timeUnitMs, stages: stages(raw['stages'], `${field}.stages`), preAllocatedVUs, maxVUs };
    }
    default:
      throw new K6ConfigError(
        `${field}.executor: ${JSON.stringify(executor)} is not supported by the built-in engine`,
        'supported: constant-vus, ramping-vus, per-vu-iterations, shared-iterations, constant-arrival-rate, ramping-arrival-rate; use --engine k6 for others',
      );
  }
}

/** Merges the script's options with CLI overrides and derives the scenarios, as k6 does. */
export function resolveOptions(rawOptions: unknown, cli: CliOverrides, warn: (message: string) => void): ScriptOptions {
  const raw = (rawOptions && typeof rawOptions === 'object' ? rawOptions : {}) as Record<string, unknown>;
  let vus = raw['vus'];
  let dur = raw['duration'];
  let iterations = raw['iterations'];
  let stageList = raw['stages'];
  let scenarios = raw['scenarios'];
  if (cli.duration !== undefined || cli.iterations !== undefined) {
    // A higher config tier that sets any execution option replaces the lower tier's whole block.
    dur = cli.duration;
    iterations = cli.iterations;
    stageList = undefined;
    scenarios = undefined;
  }
  if (cli.vus !== undefined) vus = cli.vus;
  const hasStages = Array.isArray(stageList) && stageList.length > 0;
  const hasScenarios = scenarios !== undefined && scenarios !== null;
  const conflict = (shortcut: string): never => {
    throw new K6ConfigError(`using an execution configuration shortcut (\`${shortcut}\`) and \`scenarios\` simultaneously is not allowed`);
  };
  let list: ScenarioConfig[];
  if (iterations !== undefined && iterations !== null) {
    if (hasStages) throw new K6ConfigError('using multiple execution config shortcuts (`iterations` and `stages`) simultaneously is not allowed');
    if (hasScenarios) conflict('iterations');
    const shortcut: Record<string, unknown> = { executor: 'shared-iterations', vus: vus ?? 1, iterations };
    if (dur !== undefined && dur !== null) shortcut['maxDuration'] = dur;
    list = [scenario(DEFAULT_SCENARIO, shortcut)];
  } else if (dur !== undefined && dur !== null) {
    if (hasStages) throw new K6ConfigError('using multiple execution config shortcuts (`duration` and `stages`) simultaneously is not allowed');
    if (hasScenarios) conflict('duration');
    list = [scenario(DEFAULT_SCENARIO, { executor: 'constant-vus', vus: vus ?? 1, duration: dur })];
  } else if (hasStages) {
    if (hasScenarios) conflict('stages');
    list = [scenario(DEFAULT_SCENARIO, { executor: 'ramping-vus', startVUs: vus ?? 1, stages: stageList })];
  } else if (hasScenarios && Object.keys(scenarios as object).length > 0) {
    list = Object.entries(scenarios as Record<string, unknown>).map(([name, s]) => scenario(name, (s ?? {}) as Record<string, unknown>));
  } else {
    if (vus !== undefined && vus !== null && Number(vus) !== 1) {
      warn(`the \`vus=${String(vus)}\` option will be ignored, it only works in conjunction with \`iterations\`, \`duration\`, or \`stages\``);
    }
    list = [scenario(DEFAULT_SCENARIO, { executor: 'per-vu-iterations', vus: 1, iterations: 1 })];
  }
  const trendStats = raw['summaryTrendStats'];
  return {
    tags: stringMap(raw['tags']),
    thresholds: raw['thresholds'],
    maxRedirects: raw['maxRedirects'] === undefined ? undefined : integer(raw['maxRedirects'], 'maxRedirects', 10),
    discardResponseBodies: raw['discardResponseBodies'] === true,
    noCookiesReset: raw['noCookiesReset'] === true,
    userAgent: typeof raw['userAgent'] === 'string' ? raw['userAgent'] : undefined,
    setupTimeoutMs: duration(raw['setupTimeout'], 'setupTimeout', 60_000),
    teardownTimeoutMs: duration(raw['teardownTimeout'], 'teardownTimeout', 60_000),
    summaryTrendStats: Array.isArray(trendStats) ? trendStats.map(String) : undefined,
    summaryTimeUnit: typeof raw['summaryTimeUnit'] === 'string' ? raw['summaryTimeUnit'] : undefined,
    scenarios: list,
    raw,
  };
}

/** How long a scenario may run, including its graceful stop (k6's "max duration"). */
export function scenarioMaxDurationMs(s: ScenarioConfig): number {
  switch (s.executor) {
    case 'constant-vus':
    case 'constant-arrival-rate':
      return s.durationMs + s.gracefulStopMs;
    case 'ramping-vus':
      return s.stages.reduce((t, st) => t + st.durationMs, 0) + Math.max(s.gracefulStopMs, s.gracefulRampDownMs);
    case 'ramping-arrival-rate':
      return s.stages.reduce((t, st) => t + st.durationMs, 0) + s.gracefulStopMs;
    case 'per-vu-iterations':
    case 'shared-iterations':
      return s.maxDurationMs + s.gracefulStopMs;
  }
}

/** VUs a scenario needs initialised before the start (arrival-rate: preAllocatedVUs). */
export function scenarioInitialVus(s: ScenarioConfig): number {
  switch (s.executor) {
    case 'constant-vus':
    case 'per-vu-iterations':
    case 'shared-iterations':
      return s.vus;
    case 'ramping-vus':
      return Math.max(s.startVUs, ...s.stages.map((st) => st.target));
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate':
      return s.preAllocatedVUs;
  }
}

/** The most VUs the scenarios need at once, from their start times and max durations. */
export function plannedMaxVus(list: readonly ScenarioConfig[]): number {
  let max = 0;
  for (const a of list) {
    let sum = 0;
    for (const b of list) {
      const bEnd = b.startTimeMs + scenarioMaxDurationMs(b);
      if (b.startTimeMs <= a.startTimeMs && bEnd > a.startTimeMs) sum += scenarioInitialVus(b);
    }
    max = Math.max(max, sum);
  }
  return max;
}
