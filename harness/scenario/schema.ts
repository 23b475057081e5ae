/**
 * The scenario file's schema: the single source of the field rules, the inferred types, and the
 * published JSON Schema (editor completion shows the descriptions). Rules that relate several
 * fields (offsets inside the load duration, unpause after pause, replica counts) are in rules/.
 */
import * as z from 'zod';
import { FAULT_ACTIONS } from '../core/fault-actions.ts';
import { DATASTORE_ACTIONS, REVERT_ACTIONS, REVERTIBLE_ACTIONS, SCALE_ACTIONS } from '../core/fault-action-lists.ts';
import { DURATION_EXAMPLES, OFFSET_PATTERN, parseDuration, parsePercent } from './duration.ts';
import { duration, intBetween, oneOf, strict, textUpTo } from './schema-helpers.ts';
import { HARNESS_APP_ENV } from '../core/app-env.ts';
import { HARNESS_SET_ENV } from '../../k6-scripts/lib/env-contract.ts';
import { MAX_SEED_DEPOSITS } from '../../targets/app/bank/model.ts';
import { DEFAULT_LB_SETTINGS, LB_BALANCE_ALGORITHMS, LB_SETTING_RANGES, LB_STICKINESS_MODES } from '../../targets/lb/lb-settings.ts';

export const SCENARIO_ARCHITECTURES = ['stateful', 'stateless', 'event-sourced'] as const;
export type ScenarioArchitecture = (typeof SCENARIO_ARCHITECTURES)[number];

import { ENGINE_CHOICES as ENGINES } from '../core/engine-choice.ts';
import { THRESHOLD_METRICS, THRESHOLD_SCOPES, type ThresholdMetric } from '../core/thresholds.ts';

export { ENGINES };
export const TARGET_SELECTORS = ['random', 'busiest', 'newest', 'datastore'] as const;
export type TargetSelector = (typeof TARGET_SELECTORS)[number];

export { THRESHOLD_METRICS, THRESHOLD_SCOPES, type ThresholdMetric };
/** Metrics that are fractions (0.05 = 5 %). */
export const FRACTION_METRICS: readonly ThresholdMetric[] = ['error_rate', 'session_loss_rate'];

/*
 * Bounds on every number and list, each stated in the field's description (and so in
 * scenario.schema.json). They are what this machine can hold (2 cores, 24 GB, shared by the load
 * generator, the replicas, the load balancer and the data tier), with room for experiments that
 * overload it on purpose, so that a typo (an extra zero or three) is an error, not a run that
 * cannot finish.
 */
export const DEFAULT_SEED = 42;
/** Replicas at the start: 16 of 256 MiB each (harness/plan/cluster-plan.ts) sharing 2 cores is already crowded. */
export const MAX_REPLICAS = 16;
/** The load balancer's slot limit (harness/plan/cluster-plan.ts MAX_REPLICAS_LIMIT). */
export const MAX_REPLICA_SLOTS = 32;
/** What `maxReplicas` is when a scenario does not say: the cluster plan's default. */
export const DEFAULT_MAX_REPLICAS = 16;
/**
 * k6 takes ~3 MB per VU for small scripts (k6 issue 1543, "Running large tests"): 5,000 VUs are
 * ~15 GB of this machine's 24 GB; the built-in engine is lighter, and both saturate 2 cores long
 * before (the engine's self-monitor says so in the run's log).
 */
export const MAX_VUS = 5_000;
/**
 * Iterations started per second by arrivalRate (one request each in the project's scripts). The
 * app, the load balancer and the load generator share 2 cores here: a few thousand requests per
 * second (the built-in engine's arrival-rate tests hold 2,000-3,000/s, `npm run bench:engine` goes
 * to 5,000/s against a stub server); 10,000/s leaves room to overload the system on purpose.
 * `rate` per `timeUnit` is checked against it (rules/load-rules.ts).
 */
export const MAX_ARRIVAL_RATE_PER_S = 10_000;
/** The longest load (`duration`, or the stages in total) and the longest timed fault: a day. */
export const MAX_LOAD_MS = 86_400_000;
const DAY_MS = MAX_LOAD_MS;
/** Variables in one env: settings, not data (the scripts and the app read about ten). */
export const MAX_ENV_VARS = 100;
/** One env value: settings such as numbers, names and URLs (Linux itself takes up to 128 KiB). */
export const MAX_ENV_VALUE_CHARS = 4096;
/** A script path: far above any path in this repository, short enough to quote in a message. */
const MAX_PATH_CHARS = 1024;

export const TARGET_EXPECTED = 'a replica index, "random", "busiest", "newest" or "datastore"';
export const AT_EXPECTED = `${DURATION_EXAMPLES}, or a percentage of the load duration below 100% such as "33%"`;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** An offset as parsed; `text` is what the file said, for messages and events. */
export type Offset = { kind: 'ms'; ms: number; text: string } | { kind: 'percent'; percent: number; text: string };

const offset = z
  .string({ error: AT_EXPECTED })
  .regex(OFFSET_PATTERN, { error: AT_EXPECTED })
  .refine((text) => (parsePercent(text) ?? 0) < 100, { error: AT_EXPECTED })
  .transform((text): Offset => {
    const percent = parsePercent(text);
    return percent === undefined ? { kind: 'ms', ms: parseDuration(text) ?? 0, text } : { kind: 'percent', percent, text };
  });

const target = z.union(
  [intBetween(0, MAX_REPLICA_SLOTS - 1, TARGET_EXPECTED), oneOf(TARGET_SELECTORS, TARGET_EXPECTED)],
  { error: TARGET_EXPECTED },
);

export const faultSchema = strict({
  at: offset.describe(
    'When the fault starts, from the start of the load: a duration ("20s", "1m30s", "1500ms") or a percentage of the load duration ("33%"). Must fall inside the load duration.',
  ),
  action: oneOf(FAULT_ACTIONS).describe(
    'kill (SIGKILL), stop (graceful SIGTERM), restart, pause / unpause (freeze the processes), scale-out / scale-in (add / remove replicas), partition / heal (cut the container off the network / reconnect it).',
  ),
  target: target
    .optional()
    .describe(
      `Which container: a replica index (0-based position among the replicas in creation order, killed ones included; 0 = app-1 at the start), "random" (drawn from the seed), "busiest" (most requests so far), "newest" (last created), or "datastore" (the data tier; ${DATASTORE_ACTIONS.join(', ')} only; skipped for architectures without one). Required except for scale-out (which takes none) and scale-in (default "newest"). ${REVERT_ACTIONS.join(' and ')} revert the latest ${REVERTIBLE_ACTIONS.join(' / ')} written with the same target, not a fresh choice.`,
    ),
  count: intBetween(1, MAX_REPLICA_SLOTS - 1)
    .optional()
    .describe(`${SCALE_ACTIONS.join(' / ')} only: how many replicas to add or remove (1 to ${MAX_REPLICA_SLOTS - 1}, default 1; within maxReplicas).`),
  for: duration(1, DAY_MS)
    .optional()
    .describe(
      `${REVERTIBLE_ACTIONS.join(' / ')} only: revert automatically after this long (a duration up to 24h); the revert must fall inside the load duration. Without it, revert with an explicit ${REVERT_ACTIONS.join(' / ')} (or the end of the trial does).`,
    ),
});

const stageSchema = strict({
  duration: duration(0, DAY_MS).describe('How long this stage ramps (a duration, "0s" for a jump; the stages last at most 24h in total).'),
  target: intBetween(0, MAX_VUS).describe(`VUs at the end of the stage (0 to ${MAX_VUS}).`),
});

const arrivalRateSchema = strict({
  rate: intBetween(1, MAX_ARRIVAL_RATE_PER_S * 3600).describe(
    `Iterations started per timeUnit (each iteration of the project scripts is one request); at most ${MAX_ARRIVAL_RATE_PER_S} per second, whatever the timeUnit.`,
  ),
  timeUnit: duration(1, 3_600_000).prefault('1s').describe('The period of `rate` (a duration from 1ms to 1h, default "1s").'),
  preAllocatedVUs: intBetween(1, MAX_VUS).optional().describe(`VUs created before the start (1 to ${MAX_VUS}, default 10).`),
  maxVUs: intBetween(1, MAX_VUS).optional().describe(`Upper bound on VUs when iterations queue up (up to ${MAX_VUS}; default max(preAllocatedVUs, 100)).`),
});

const ENV_VALUE_EXPECTED = `a string, a number or true/false of at most ${MAX_ENV_VALUE_CHARS} characters`;

/** NAME: value pairs for an environment; numbers and booleans are written as strings. */
function envMap() {
  return z
    .record(
      z.string().regex(ENV_NAME, { error: 'a variable name of letters, digits and _, not starting with a digit, at most 128 characters' }),
      z.union([textUpTo(MAX_ENV_VALUE_CHARS, ENV_VALUE_EXPECTED), z.number(), z.boolean()], { error: ENV_VALUE_EXPECTED }).transform(String),
      { error: 'a mapping of NAME: value' },
    )
    .refine((env) => Object.keys(env).length <= MAX_ENV_VARS, { error: `at most ${MAX_ENV_VARS} variables` })
    .meta({ maxProperties: MAX_ENV_VARS })
    .prefault({});
}

export const loadSchema = strict({
  script: textUpTo(MAX_PATH_CHARS, `a path of at most ${MAX_PATH_CHARS} characters to a .js or .ts k6 script`)
    .min(1, { error: 'a path to a .js or .ts k6 script' })
    .describe('The k6 script (.js or .ts), relative to this file or to the repository root, e.g. "k6-scripts/session-journey.ts".'),
  engine: oneOf(ENGINES)
    .default('auto')
    .describe('"k6" (the k6 binary on PATH or in K6_BIN), "builtin" (the harness\'s own engine, runs the same scripts), or "auto" (k6 when found, else builtin). Default "auto".'),
  vus: intBetween(1, MAX_VUS).optional().describe(`Constant load: this many VUs (1 to ${MAX_VUS}) for \`duration\`. Exactly one of vus, stages, arrivalRate.`),
  duration: duration(1000, DAY_MS, `${DURATION_EXAMPLES}, from 1s to 24h`)
    .optional()
    .describe('How long the load runs, with `vus` or `arrivalRate` (with `stages`, the sum of the stages), from 1s to 24h. Faults happen inside it.'),
  stages: z
    .array(stageSchema, { error: 'a list of {duration, target} stages' })
    .min(1, { error: 'at least one {duration, target} stage' })
    .max(100, { error: 'at most 100 stages' })
    .optional()
    .describe('Ramping load: VUs move linearly to each stage\'s target over its duration (k6 ramping-vus); 1 to 100 stages, at most 24h in total.'),
  arrivalRate: arrivalRateSchema
    .optional()
    .describe('Open model: start `rate` iterations per `timeUnit` whatever the response times, for `duration` (k6 constant-arrival-rate).'),
  env: envMap().describe(
    `Passed to the script as -e NAME=value (__ENV), at most ${MAX_ENV_VARS} variables. The harness sets ${HARNESS_SET_ENV.join(', ')} itself (BASE_URL and the load shape), so they are refused here; e.g. THINK_TIME: "0.2".`,
  ),
});

/** What the app's seed-ledger command accepts. */
const MAX_SEED_EVENTS = MAX_SEED_DEPOSITS;

export const appSchema = strict({
  env: envMap().describe(
    `Environment of every replica, e.g. SNAPSHOT_EVERY_EVENTS: 500 for the event-sourced app; at most ${MAX_ENV_VARS} variables. The harness sets ${HARNESS_APP_ENV.join(', ')} itself, so they are refused here.`,
  ),
  seedEvents: intBetween(0, MAX_SEED_EVENTS)
    .prefault(0)
    .describe(`Event-sourced only: deposits appended to the ledger's log (on one account of its own, outside the workload) before the replicas start, standing for a long history such as a day of transactions; the first replicas replay it. 0 to ${MAX_SEED_EVENTS}, default 0. Other architectures ignore it.`),
});

const lbRange = (name: keyof typeof LB_SETTING_RANGES) => LB_SETTING_RANGES[name];

/**
 * The load balancer's settings, part of what a trial measures: how long a request waits on a dead
 * replica, how fast one is taken out. Every field is optional; the defaults (targets/lb/lb-settings.ts)
 * are what a careful operator runs on one host.
 */
export const lbSchema = strict({
  connectTimeout: duration(lbRange('connectTimeoutMs').min, lbRange('connectTimeoutMs').max, `${DURATION_EXAMPLES}, from 1ms to 1m`)
    .optional()
    .describe(`How long a connection to a replica may take before it is retried on another (default ${DEFAULT_LB_SETTINGS.connectTimeoutMs}ms; 1ms to 1m).`),
  retries: intBetween(lbRange('retries').min, lbRange('retries').max)
    .optional()
    .describe(`Connection attempts after the first, each on another replica (default ${DEFAULT_LB_SETTINGS.retries}; 0 to 10).`),
  checkInterval: duration(lbRange('checkIntervalMs').min, lbRange('checkIntervalMs').max, `${DURATION_EXAMPLES}, from 50ms to 1m`)
    .optional()
    .describe(`How often each replica's /readyz is checked (default ${DEFAULT_LB_SETTINGS.checkIntervalMs}ms; 50ms to 1m).`),
  fall: intBetween(lbRange('fall').min, lbRange('fall').max)
    .optional()
    .describe(`Failed checks in a row that take a replica out (default ${DEFAULT_LB_SETTINGS.fall}; 1 to 10).`),
  rise: intBetween(lbRange('rise').min, lbRange('rise').max)
    .optional()
    .describe(`Passed checks in a row that bring it back (default ${DEFAULT_LB_SETTINGS.rise}; 1 to 10).`),
  balance: oneOf(LB_BALANCE_ALGORITHMS).optional().describe(`How requests are shared (default "${DEFAULT_LB_SETTINGS.balance}").`),
  stickiness: oneOf(LB_STICKINESS_MODES)
    .optional()
    .describe('"cookie": each client is pinned to a replica by a cookie; "none": no stickiness. Default: "cookie" for stateful, "none" otherwise.'),
});

/** A trial name: lower-case letters, digits and dashes, so it can name directories and columns. */
const TRIAL_NAME_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;
const TRIAL_NAME_EXPECTED = 'a name of 1 to 40 lower-case letters, digits and dashes, starting with a letter';

/** One entry of `architectures` written out: an architecture under a name of its own, with settings of its own. */
export const variantSchema = strict({
  name: z
    .string({ error: TRIAL_NAME_EXPECTED })
    .regex(TRIAL_NAME_PATTERN, { error: TRIAL_NAME_EXPECTED })
    .describe('The trial\'s name in reports, thresholds flags and trials/<name>/ (unique in the scenario).'),
  architecture: oneOf(SCENARIO_ARCHITECTURES).describe('Where client state lives in this trial.'),
  app: strict({
    env: envMap().describe(`Added to (and overriding) the scenario's app.env for this trial only (the same rules: not ${HARNESS_APP_ENV.join(', ')}).`),
    seedEvents: intBetween(0, MAX_SEED_EVENTS).optional().describe("Replaces the scenario's app.seedEvents for this trial."),
  })
    .prefault({})
    .describe('Settings of the reference application in this trial, over the scenario-wide `app`.'),
  lb: lbSchema.prefault({}).describe("Load balancer settings of this trial, over the scenario's `lb` (field by field)."),
});

const ARCHITECTURE_ENTRY_EXPECTED = `one of "stateful", "stateless", "event-sourced", or a {name, architecture, app, lb} variant`;

export const thresholdSchema = strict({
  metric: oneOf(THRESHOLD_METRICS).describe(
    'error_rate and session_loss_rate are fractions (0.05 = 5 %); sessions_lost is a count; p95_ms, p99_ms, recovery_ms, detection_ms and scale_out_ms are milliseconds.',
  ),
  max: z
    .number({ error: 'a number ≥ 0' })
    .min(0, { error: 'a number ≥ 0' })
    .describe('The largest passing value (inclusive).'),
  scope: oneOf(THRESHOLD_SCOPES)
    .default('trial')
    .describe('"trial": the figure over the whole trial (for per-fault metrics, the worst fault); "fault-windows": every fault window must pass on its own. Default "trial".'),
});

/** One threshold per metric and scope (rules/threshold-rules.ts) makes this the longest useful list. */
const MAX_THRESHOLDS = THRESHOLD_METRICS.length * THRESHOLD_SCOPES.length;

const thresholdList = (who: string): z.ZodOptional<z.ZodArray<typeof thresholdSchema>> =>
  z
    .array(thresholdSchema, { error: 'a list of {metric, max, scope} thresholds' })
    .max(MAX_THRESHOLDS, { error: `at most ${MAX_THRESHOLDS} thresholds (one per metric and scope)` })
    .optional()
    .describe(`Thresholds for ${who}.`);

export const thresholdsSchema = strict({
  '*': thresholdList('every architecture (an architecture\'s own entry for the same metric and scope wins)'),
  stateful: thresholdList('the stateful trial'),
  stateless: thresholdList('the stateless trial'),
  'event-sourced': thresholdList('the event-sourced trial'),
});

const NAME_EXPECTED = 'a name of 1 to 100 printable characters on one line';

export const scenarioFileSchema = strict({
  $schema: textUpTo(MAX_PATH_CHARS, `a path or URL of at most ${MAX_PATH_CHARS} characters`).optional().describe('The JSON Schema for editors (ignored by the harness).'),
  name: z
    .string({ error: NAME_EXPECTED })
    // Code points (flag u), so that 100 emoji are 100 characters; no control characters (they
    // would garble reports and terminals), which also keeps it on one line.
    .regex(/^[^\p{Cc}\p{Cs}]{1,100}$/u, { error: NAME_EXPECTED })
    .describe('A short name, shown in reports (1 to 100 characters).'),
  description: textUpTo(2000, 'at most 2000 characters').optional().describe('What the experiment asks, for the report (at most 2000 characters).'),
  seed: intBetween(0, 4_294_967_295)
    .default(DEFAULT_SEED)
    .describe(`Seeds every random choice (fault targets): same scenario and seed, same choices. 0 to 4294967295, default ${DEFAULT_SEED}.`),
  architectures: z
    .array(z.union([oneOf(SCENARIO_ARCHITECTURES), variantSchema], { error: ARCHITECTURE_ENTRY_EXPECTED }), { error: 'a list of architectures' })
    .min(1, { error: 'at least one of "stateful", "stateless", "event-sourced"' })
    .max(12, { error: 'at most 12 trials' })
    // Duplicates are a cross-field rule (rules/general-rules.ts).
    .describe(
      'The trials, run one after the other with the same load, faults and seed: an architecture by name ("stateful", "stateless", "event-sourced"), or a variant {name, architecture, app, lb} to compare settings of one architecture (e.g. snapshot intervals, connect timeouts). 1 to 12 trials (each one is a whole run of the load); names are unique; a plain architecture is named after itself.',
    ),
  replicas: intBetween(1, MAX_REPLICAS).describe(`Application replicas at the start of each trial (1 to ${MAX_REPLICAS}).`),
  maxReplicas: intBetween(1, MAX_REPLICA_SLOTS)
    .optional()
    .describe(`Load balancer slots, the ceiling for scale-out (replicas to ${MAX_REPLICA_SLOTS}; default max(${DEFAULT_MAX_REPLICAS}, replicas)).`),
  faultWindow: duration(1000, 600_000, `${DURATION_EXAMPLES}, from 1s to 10m`)
    .prefault('10s')
    .describe('How long after each fault its window lasts, for per-fault figures and "fault-windows" thresholds (1s to 10m, default "10s").'),
  load: loadSchema.describe('The load: script, engine, shape (vus + duration, stages, or arrivalRate + duration) and env.'),
  app: appSchema.prefault({}).describe('Settings of the reference application in every trial.'),
  lb: lbSchema.prefault({}).describe('Load balancer settings of every trial (connect timeout, retries, checks, balance, stickiness); the report shows the ones used.'),
  faults: z
    .array(faultSchema, { error: 'a list of faults' })
    .max(100, { error: 'at most 100 faults' })
    .prefault([])
    .describe('The fault timeline, replayed identically in every trial (at most 100 faults).'),
  thresholds: thresholdsSchema
    .prefault({})
    .describe('Pass/fail limits per architecture ("stateful", "stateless", "event-sourced") or "*" for all; they set the exit code and the JUnit report.'),
});

export type ScenarioFile = z.output<typeof scenarioFileSchema>;
export type ScenarioFileInput = z.input<typeof scenarioFileSchema>;
export type ParsedFault = z.output<typeof faultSchema>;
export type ArchitectureEntry = z.output<typeof scenarioFileSchema>['architectures'][number];

/** The trial an entry of `architectures` stands for: a plain architecture is named after itself. */
export function trialIdentity(entry: ArchitectureEntry): { name: string; architecture: ScenarioArchitecture } {
  return typeof entry === 'string' ? { name: entry, architecture: entry } : { name: entry.name, architecture: entry.architecture };
}
export type ParsedLoad = z.output<typeof loadSchema>;
export type ParsedLb = z.output<typeof lbSchema>;
export type ParsedThresholds = z.output<typeof thresholdsSchema>;
export type Threshold = z.output<typeof thresholdSchema>;
export type FaultTarget = NonNullable<ParsedFault['target']>;
