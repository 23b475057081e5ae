import { z } from 'zod';
import { LbSettingsSchema, T0_SOURCES } from '../core/run-files/index.ts';
import { FAULT_ACTIONS } from '../faults/fault-event.ts';
import { DETECTION_CAUSES } from './figures/detection-cause.ts';

/**
 * The schema of results.json: the only thing reports, gates and comparisons read. Types are inferred
 * from it; `harness/analysis/publish-schema.ts` writes it as JSON Schema to
 * results.schema.json, and a test fails when that file is stale. Bump the version on any change
 * that a reader could notice.
 */
/**
 * 2: trials have a `name` (variants of one architecture), comparison values name the trial.
 * 3: trials have a `status`, a `failure` and `loadGenerator`; `unmeasured` lists planned trials
 *    without figures.
 * 4: definitions of issue 12. Session loss rate = lost / sessions open at the fault (was: / every
 *    session seen after it), with the rate among sessions pinned to the target beside it, called
 *    "expected to lose" only where sessions live in the replica; `sessions` is null for a workload
 *    without sessions. Recovery on 100 ms buckets aligned to the fault, for errors and p99 latency
 *    (was: errors on 1 s buckets). Slow requests per fault window. Excess errors never negative,
 *    with the baseline's prediction beside them. Detection says what detected it. Scale-out phase
 *    inversions are listed. `t0Source` says what t0 is. `lbSettings`: the load balancer's settings.
 */
export const RESULTS_SCHEMA_VERSION = 4;

/** Times in figures are milliseconds; offsets ("…Ms" without "At") are from the trial's t0. */
const ms = z.number();
const count = z.number().nonnegative();
const ratio = z.number().min(0).max(1);
const nullable = <T extends z.ZodType>(schema: T, whenNull: string) => schema.nullable().describe(`null: ${whenNull}`);

export const LatencySummarySchema = z
  .object({
    count: count.describe('latency samples (http_req_duration points)'),
    p50Ms: nullable(ms, 'no samples'),
    p95Ms: nullable(ms, 'no samples'),
    p99Ms: nullable(ms, 'no samples'),
    maxMs: nullable(ms, 'no samples'),
  })
  .meta({ id: 'LatencySummary', description: 'From an HDR histogram (3 significant digits, nearest rank); max is exact' });

export const SpanFiguresSchema = z
  .object({
    fromMs: ms.describe('offset from t0, inclusive'),
    toMs: ms.describe('offset from t0, exclusive; fromMs = toMs when the span lies outside the trial'),
    requests: count,
    failed: count,
    errorRate: nullable(ratio, 'no requests in the span'),
    latency: LatencySummarySchema,
  })
  .meta({ id: 'SpanFigures' });

export const SecondFiguresSchema = z
  .object({
    t: z.number().int().nonnegative().describe('bucket start, in seconds from t0'),
    durationMs: ms.describe('1000, or less for the last bucket of the trial'),
    requests: count,
    reqPerSec: z.number().nonnegative(),
    failed: count,
    errorRate: nullable(ratio, 'no requests in this second'),
    latency: LatencySummarySchema,
    responsesByReplica: z.record(z.string(), count),
    shareByReplica: z.record(z.string(), ratio).describe("each replica's share of the responses served by a replica"),
  })
  .meta({ id: 'SecondFigures' });

export const FaultSessionsSchema = z
  .object({
    lost: count.describe('sessions lost, attributed to this fault (the latest fault started at or before the loss)'),
    openAtFault: count.describe('sessions open at the fault: a response in the 10 s before its start and one at or after it'),
    lostOpen: count.describe('of the sessions open at the fault, those lost to it'),
    lossRate: nullable(ratio, 'no session was open at the fault').describe('the session loss rate: lostOpen / openAtFault'),
    pinnedToTarget: nullable(count, 'the fault takes no replica away').describe(
      'sessions whose latest response before the fault came from one of its targets, with a response at or after it',
    ),
    lostPinned: nullable(count, 'see pinnedToTarget').describe('of the pinned sessions, those lost to the fault'),
    pinnedLossRate: nullable(ratio, 'no session was pinned to the target').describe('lostPinned / pinnedToTarget'),
    pinnedMeaning: nullable(z.enum(['expected-to-lose', 'last-served-by-target']), 'see pinnedToTarget').describe(
      'expected-to-lose where sessions live in the replica (stateful); elsewhere the same count is only "last served by the target"',
    ),
  })
  .meta({ id: 'FaultSessions' });

export const RecoveryDetailSchema = z
  .object({
    errorsMs: nullable(ms, 'the error rate did not recover by the end of the trial').describe('recovery of the error rate alone'),
    latencyMs: nullable(ms, 'the p99 latency did not recover by the end of the trial').describe('recovery of the p99 latency alone'),
    band: z
      .object({
        errorRate: ratio.describe("a 100 ms bucket's error rate is within the band up to this"),
        p99Ms: nullable(ms, 'no latency in the baseline: latency is not judged').describe("a 100 ms bucket's p99 is within the band up to this"),
        emptyBuckets: count.describe('runs of 100 ms buckets without a completed request up to this long are within the band'),
      })
      .describe('the pre-fault band, from the 10 s before the fault'),
  })
  .meta({ id: 'RecoveryDetail' });

export const SlowRequestsSchema = z
  .object({
    thresholdMs: ms.describe('slower than this is slow: min(10 × the baseline p99, 1 s)'),
    count: count.describe('requests of the fault window slower than the threshold'),
    bySecond: z.array(z.object({ t: z.number().int().describe('second from t0'), count })).describe('seconds with slow requests, in order'),
  })
  .meta({ id: 'SlowRequests' });

export const FaultFiguresSchema = z
  .object({
    index: z.number().int().describe("the fault's position in the scenario timeline"),
    action: z.enum(FAULT_ACTIONS),
    selector: z.string(),
    targets: z.array(z.string()),
    outcome: z.enum(['ok', 'failed', 'skipped']),
    revert: z.boolean(),
    startMs: ms,
    endMs: ms,
    startedAt: z.number().describe('epoch ms'),
    phases: z.object({ before: SpanFiguresSchema, during: SpanFiguresSchema, after: SpanFiguresSchema }),
    windowErrorRate: nullable(ratio, 'no requests in the window'),
    baselineErrorRate: nullable(ratio, 'no requests in the 10 s before the fault'),
    predictedErrors: z.number().nonnegative().describe('what the baseline rate predicts for the window: baseline error rate × window requests'),
    excessErrors: z.number().nonnegative().describe('errors in the window minus predictedErrors, never below 0 (fewer errors than predicted: "below baseline")'),
    slowRequests: SlowRequestsSchema,
    detectionApplies: z.boolean(),
    detectionMs: nullable(ms, 'not detected (or detectionApplies is false)'),
    detectedBy: nullable(z.enum(DETECTION_CAUSES), 'not detected').describe('what made the load balancer take the replica out'),
    detectionReason: nullable(z.string(), 'not detected').describe("the load balancer's own words for it"),
    recoveryMs: nullable(ms, 'not recovered by the end of the trial').describe('the later of recovery.errorsMs and recovery.latencyMs: until each figure is back within its band'),
    recoveryResolutionMs: ms,
    recovery: RecoveryDetailSchema,
    sessions: nullable(FaultSessionsSchema, 'the workload has no sessions (none started, seen or lost in the trial)'),
  })
  .meta({ id: 'FaultFigures' });

export const ScaleOutFiguresSchema = z
  .object({
    faultIndex: z.number().int(),
    replica: z.string(),
    requestedAt: z.number().describe('T0: epoch ms when the harness asked Docker for the replica'),
    requestedMs: ms.describe('T0 as an offset from the trial t0'),
    phases: z
      .object({
        created: nullable(ms, 'phase not recorded'),
        started: nullable(ms, 'phase not recorded'),
        ready: nullable(ms, 'phase not recorded'),
        inLb: nullable(ms, 'phase not recorded'),
      })
      .describe('each phase − T0'),
    firstRequestMs: nullable(ms, 'the replica never served a response; otherwise the headline figure, first request − T0'),
    fairShareMs: nullable(ms, 'not reached'),
    fairShareResolutionMs: ms,
    phaseProblems: z
      .array(z.string())
      .describe('phases out of order (created ≤ started ≤ ready ≤ in LB ≤ first request): measurement problems, also in the warnings'),
  })
  .meta({ id: 'ScaleOutFigures' });

export const PointCountsSchema = z
  .object({
    file: z.string(),
    bytes: count,
    lines: count,
    pointsKept: count,
    pointsSkipped: count,
    metricDefinitions: count,
    slowPathLines: count,
    malformedLines: count,
    pointsBeforeT0: count,
    pointsAfterEnd: count,
    lateLatencySamples: count.describe(
      'latency points that came after their second was closed; counted in totals and phases only',
    ),
  })
  .meta({ id: 'PointCounts' });

export const RecordFileSchema = z
  .object({
    file: z.string(),
    present: z.boolean(),
    bytes: count,
    records: count,
  })
  .meta({ id: 'RecordFile' });

export const TrialTotalsSchema = z
  .object({
    requests: count,
    failed: count,
    errorRate: nullable(ratio, 'no requests'),
    latency: LatencySummarySchema,
    responsesByReplica: z.record(z.string(), count),
    responsesWithoutReplica: count,
    sessionsStarted: count,
    sessionsSeen: count,
    sessionsLost: count,
    sessionsLostOutsideFaults: count,
  })
  .meta({ id: 'TrialTotals' });

export const BankFiguresSchema = z
  .object({
    confirmedDepositedCents: z.number().describe('Σ deposits the server confirmed to the clients'),
    confirmedWithdrawnCents: z.number().describe('Σ withdrawals the server confirmed to the clients'),
    unknownDepositCents: z.number().describe('Σ deposits whose outcome stayed unknown after retries'),
    unknownWithdrawCents: z.number().describe('Σ withdrawals whose outcome stayed unknown after retries'),
    expectedBalanceCents: z.number().describe('confirmed deposits − confirmed withdrawals'),
    auditBalanceCents: z.number().nullable().describe('Σ balances the teardown audit read from the server; null when it did not run'),
    missingCents: z.number().describe('how far the audited balances fall below the lowest conserving value (0 when conservation holds)'),
    conservation: z.enum(['holds', 'money-lost', 'money-created', 'not-audited']),
    lostTransactions: count.describe('confirmed transactions the server no longer has'),
    duplicatedTransactions: count.describe('transactions the server applied more than once'),
    conservationViolations: count.describe('other broken invariants: balance ≠ history, overdraft, account gone'),
  })
  .meta({ id: 'BankFigures' });

export const ReplayFiguresSchema = z
  .object({
    replica: z.string(),
    atMs: z.number().describe('when the replay ended, ms from t0 (negative for replicas started before the load)'),
    cause: z.enum(['start', 'restart', 'scale-out']).describe('what started the replica'),
    eventsReplayed: count.describe('events replayed after the snapshot it loaded: the events since the last snapshot'),
    fromSnapshot: z.boolean(),
    snapshotEvents: count.describe('events the loaded snapshot covered'),
    replayMs: ms.describe('snapshot load plus replay'),
    eventsPerSecond: z.number().nullable(),
    timeToReadyMs: ms.nullable().describe('from the restart or scale-out request to ready; null for replicas started with the cluster'),
  })
  .meta({ id: 'ReplayFigures' });

export const LoadGeneratorFiguresSchema = z
  .object({
    saturated: z.boolean().describe("the load generator was itself a bottleneck: the trial's latency figures may be inflated by it"),
    reasons: z.array(z.string()).describe('the bounds that were crossed, with the figures'),
    rule: z.string(),
    eventLoopDelayMs: z.object({ p50: ms, p99: ms, max: ms }).describe("how late the engine's event loop ran, over the load"),
    cpuCoreFraction: z.number().nonnegative().describe("the engine process's CPU over the load; 1 = one whole core"),
    seconds: z
      .array(z.object({ tMs: ms.describe('slice start, offset from t0'), delayP99Ms: ms, coreFraction: z.number().nonnegative() }))
      .describe('about one slice a second'),
  })
  .meta({ id: 'LoadGeneratorFigures', description: "The built-in engine's figures about itself (load-generator.json)" });

/** How a trial ended; only "completed" measured what the trial claims. */
export const TRIAL_STATUSES = ['completed', 'failed', 'interrupted'] as const;

export const TrialResultSchema = z
  .object({
    name: z.string().describe('the trial: its architecture, or a variant of it named in the scenario'),
    architecture: z.string(),
    status: z.enum(TRIAL_STATUSES).describe('only "completed" measured what the trial claims; the figures of the others are partial'),
    failure: nullable(z.string(), 'the trial completed').describe('why the trial did not measure what it claims'),
    loadGenerator: nullable(LoadGeneratorFiguresSchema, 'the engine does not measure itself (k6)'),
    lbSettings: nullable(LbSettingsSchema, 'a run recorded before trials kept lb-settings.json'),
    t0: z.number().describe('epoch ms when the load began: t = 0 of every offset'),
    t0Source: z
      .enum(T0_SOURCES)
      .describe(
        "engine-start: the built-in engine's own start; load-file: the earliest start of an iteration or request in the load file (k6); first-point: the end of the first request (runs recorded before the harness knew the start)",
      ),
    endedAt: z.number().describe('epoch ms'),
    durationMs: ms,
    initialReplicas: z.array(z.string()),
    faultWindowMs: ms,
    totals: TrialTotalsSchema,
    seconds: z.array(SecondFiguresSchema),
    faults: z.array(FaultFiguresSchema),
    scaleOut: z.array(ScaleOutFiguresSchema),
    replays: z.array(ReplayFiguresSchema).describe('Replays of event-sourced replicas before they were ready (empty for other architectures)'),
    bank: BankFiguresSchema.nullable().describe('Money conservation, for trials of the bank script; null otherwise'),
    inputs: z.object({ load: PointCountsSchema, events: RecordFileSchema, lbStates: RecordFileSchema }),
    warnings: z.array(z.string()),
  })
  .meta({ id: 'TrialResult' });

export const COMPARISON_FIGURES = [
  'bankLostTransactions',
  'bankMissingCents',
  'errorRate',
  'p95LatencyMs',
  'p99LatencyMs',
  'sessionsLost',
  'worstSessionLossRate',
  'worstPinnedSessionLossRate',
  'excessErrors',
  'slowRequests',
  'worstRecoveryMs',
  'worstDetectionMs',
  'worstScaleOutFirstRequestMs',
  'worstFairShareMs',
  'worstReplayTimeToReadyMs',
] as const;

/** Headline figures the load generator times: a saturated generator inflates them (the report marks them). */
export const CLIENT_LATENCY_FIGURES: ReadonlySet<ComparisonFigure> = new Set<ComparisonFigure>(['p95LatencyMs', 'p99LatencyMs']);

export const ComparisonEntrySchema = z
  .object({
    figure: z.enum(COMPARISON_FIGURES),
    label: z.string(),
    unit: z.enum(['ratio', 'ms', 'count']),
    better: z.enum(['lower', 'higher']),
    values: z.array(
      z.object({
        trial: z.string().describe('the trial name'),
        value: nullable(z.number(), 'see status'),
        status: z
          .enum(['value', 'never', 'not-applicable'])
          .describe(
            'never: the event did not happen (not recovered, fair share not reached) and ranks worst; not-applicable: nothing to measure',
          ),
      }),
    ),
    best: z.array(z.string()).describe('trials with the best value (ties: several; none when nothing compares)'),
  })
  .meta({ id: 'ComparisonEntry' });

export const UnmeasuredTrialSchema = z
  .object({
    name: z.string(),
    architecture: z.string(),
    status: z.enum(['failed', 'interrupted', 'skipped']).describe('skipped: not run, because an earlier trial or the run itself failed'),
    reason: z.string(),
  })
  .meta({ id: 'UnmeasuredTrial', description: 'A planned trial with no figures at all' });

export const GlossaryEntrySchema = z.object({ term: z.string(), definition: z.string() }).meta({ id: 'GlossaryEntry' });

export const ResultsSchema = z
  .object({
    schemaVersion: z.literal(RESULTS_SCHEMA_VERSION),
    meta: z.object({
      runId: z.string(),
      generatedAt: z.string().describe('ISO 8601'),
      generator: z.string(),
      inputs: z.array(z.object({ path: z.string().describe('relative to the run directory'), bytes: count })),
    }),
    glossary: z.array(GlossaryEntrySchema),
    trials: z.array(TrialResultSchema),
    unmeasured: z.array(UnmeasuredTrialSchema).describe('planned trials that produced no figures; any entry fails the verdict'),
    comparison: z.array(ComparisonEntrySchema),
  })
  .describe('results.json: figures of one run of the load-and-failure harness');

export type LatencySummaryFigures = z.infer<typeof LatencySummarySchema>;
export type SpanFigures = z.infer<typeof SpanFiguresSchema>;
export type SecondFigures = z.infer<typeof SecondFiguresSchema>;
export type FaultFigures = z.infer<typeof FaultFiguresSchema>;
export type FaultSessions = z.infer<typeof FaultSessionsSchema>;
export type RecoveryDetail = z.infer<typeof RecoveryDetailSchema>;
export type SlowRequestsFigures = z.infer<typeof SlowRequestsSchema>;
export type ScaleOutFigures = z.infer<typeof ScaleOutFiguresSchema>;
export type PointCountsFigures = z.infer<typeof PointCountsSchema>;
export type RecordFile = z.infer<typeof RecordFileSchema>;
export type TrialTotals = z.infer<typeof TrialTotalsSchema>;
export type ReplayFigures = z.infer<typeof ReplayFiguresSchema>;
export type BankFigures = z.infer<typeof BankFiguresSchema>;
export type TrialResult = z.infer<typeof TrialResultSchema>;
export type TrialStatus = (typeof TRIAL_STATUSES)[number];
export type LoadGeneratorFigures = z.infer<typeof LoadGeneratorFiguresSchema>;

export type UnmeasuredTrial = z.infer<typeof UnmeasuredTrialSchema>;
export type ComparisonFigure = (typeof COMPARISON_FIGURES)[number];
export type ComparisonEntry = z.infer<typeof ComparisonEntrySchema>;
export type GlossaryEntry = z.infer<typeof GlossaryEntrySchema>;
export type Results = z.infer<typeof ResultsSchema>;

/** The JSON Schema published beside this file (draft 2020-12). */
export function resultsJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ResultsSchema, { target: 'draft-2020-12' });
  return { $schema: schema.$schema, title: 'results.json', ...schema };
}
