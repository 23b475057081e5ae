import { describe, expect, it } from 'vitest';
import type { FaultFigures, FaultSessions, ScaleOutFigures, TrialResult } from '../results-schema.ts';
import { compareTrials } from './comparison.ts';

const latency = (p95: number | null) => ({ count: 1, p50Ms: p95, p95Ms: p95, p99Ms: p95, maxMs: p95 });
const span = { fromMs: 0, toMs: 0, requests: 0, failed: 0, errorRate: null, latency: latency(null) };

function sessions(fields: Partial<FaultSessions>): FaultSessions {
  return {
    lost: 0,
    openAtFault: 10,
    lostOpen: 0,
    lossRate: 0,
    pinnedToTarget: 3,
    lostPinned: 0,
    pinnedLossRate: 0,
    pinnedMeaning: 'last-served-by-target',
    ...fields,
  };
}

function fault(fields: Partial<FaultFigures>): FaultFigures {
  return {
    index: 0,
    action: 'kill',
    selector: '0',
    targets: ['app-1'],
    outcome: 'ok',
    revert: false,
    startMs: 0,
    endMs: 0,
    startedAt: 0,
    phases: { before: span, during: span, after: span },
    windowErrorRate: null,
    baselineErrorRate: null,
    predictedErrors: 0,
    excessErrors: 0,
    slowRequests: { thresholdMs: 100, count: 0, bySecond: [] },
    detectionApplies: true,
    detectionMs: 1000,
    detectedBy: 'health-check',
    detectionReason: 'reason: Layer4 timeout',
    recoveryMs: 0,
    recoveryResolutionMs: 100,
    recovery: { errorsMs: 0, latencyMs: 0, band: { errorRate: 0.01, p99Ms: 10, emptyBuckets: 0 } },
    sessions: sessions({}),
    ...fields,
  };
}

function trial(architecture: string, fields: Partial<TrialResult>): TrialResult {
  const totals = {
    requests: 100,
    failed: 0,
    errorRate: 0,
    latency: latency(10),
    responsesByReplica: {},
    responsesWithoutReplica: 0,
    sessionsStarted: 10,
    sessionsSeen: 10,
    sessionsLost: 0,
    sessionsLostOutsideFaults: 0,
  };
  const records = { file: 'x', present: false, bytes: 0, records: 0 };
  return {
    name: architecture,
    architecture,
    status: 'completed',
    failure: null,
    loadGenerator: null,
    lbSettings: null,
    t0: 0,
    t0Source: 'engine-start',
    endedAt: 1000,
    durationMs: 1000,
    initialReplicas: [],
    faultWindowMs: 10_000,
    totals,
    seconds: [],
    faults: [],
    scaleOut: [],
    replays: [],
    bank: null,
    inputs: {
      load: {
        file: 'load.ndjson',
        bytes: 0,
        lines: 0,
        pointsKept: 0,
        pointsSkipped: 0,
        metricDefinitions: 0,
        slowPathLines: 0,
        malformedLines: 0,
        pointsBeforeT0: 0,
        pointsAfterEnd: 0,
        lateLatencySamples: 0,
      },
      events: records,
      lbStates: records,
    },
    warnings: [],
    ...fields,
  };
}

const scaleOut = (firstRequestMs: number | null, fairShareMs: number | null): ScaleOutFigures => ({
  faultIndex: 1,
  replica: 'app-4',
  requestedAt: 0,
  requestedMs: 0,
  phases: { created: null, started: null, ready: null, inLb: null },
  firstRequestMs,
  fairShareMs,
  fairShareResolutionMs: 1000,
  phaseProblems: [],
});

describe('compareTrials', () => {
  const stateful = trial('stateful', {
    totals: { ...trial('x', {}).totals, errorRate: 0.05, sessionsLost: 30, latency: latency(20) },
    faults: [
      fault({
        excessErrors: 40,
        slowRequests: { thresholdMs: 200, count: 7, bySecond: [{ t: 20, count: 7 }] },
        recoveryMs: 4000,
        sessions: sessions({ lost: 30, openAtFault: 90, lostOpen: 30, lossRate: 1 / 3, pinnedToTarget: 30, lostPinned: 30, pinnedLossRate: 1, pinnedMeaning: 'expected-to-lose' }),
      }),
    ],
    scaleOut: [scaleOut(1800, null)],
  });
  const stateless = trial('stateless', {
    totals: { ...trial('x', {}).totals, errorRate: 0.01, sessionsLost: 0, latency: latency(20) },
    faults: [fault({ excessErrors: 10, recoveryMs: 2000 }), fault({ excessErrors: 5, revert: true, recoveryMs: null })],
    scaleOut: [scaleOut(2100, 3000)],
  });
  const eventSourced = trial('event-sourced', {
    totals: { ...trial('x', {}).totals, errorRate: 0.01, latency: latency(25) },
    faults: [fault({ excessErrors: 12, recoveryMs: null, detectionMs: null })],
  });
  const comparison = compareTrials([stateful, stateless, eventSourced]);
  const entry = (figure: string) => comparison.find((candidate) => candidate.figure === figure);

  it('marks the lower value better, and every tie', () => {
    expect(entry('errorRate')?.best).toEqual(['stateless', 'event-sourced']);
    expect(entry('p95LatencyMs')?.best).toEqual(['stateful', 'stateless']);
    expect(entry('sessionsLost')?.best).toEqual(['stateless', 'event-sourced']);
    expect(entry('worstSessionLossRate')?.values.map((value) => value.value)).toEqual([1 / 3, 0, 0]);
    // The rate among the sessions pinned to the target stands right after the headline rate.
    const figures = comparison.map((candidate) => candidate.figure);
    expect(figures.indexOf('worstPinnedSessionLossRate')).toBe(figures.indexOf('worstSessionLossRate') + 1);
    expect(entry('worstPinnedSessionLossRate')?.values.map((value) => value.value)).toEqual([1, 0, 0]);
    expect(entry('slowRequests')?.values.map((value) => value.value)).toEqual([7, 0, 0]);
  });

  it('leaves session figures out for a workload without sessions', () => {
    const totals = { ...trial('x', {}).totals, sessionsStarted: 0, sessionsSeen: 0, sessionsLost: 0 };
    const bank = trial('bank', { totals, faults: [fault({ sessions: null })] });
    const bankOnly = compareTrials([bank]);
    expect(bankOnly.map((candidate) => candidate.figure)).not.toContain('sessionsLost');
    expect(bankOnly.map((candidate) => candidate.figure)).not.toContain('worstSessionLossRate');
    const mixed = compareTrials([stateful, bank]).find((candidate) => candidate.figure === 'sessionsLost');
    expect(mixed?.values.map((value) => value.status)).toEqual(['value', 'not-applicable']);
  });

  it('ranks "never" (not recovered, fair share not reached) below every value and ignores reverts', () => {
    expect(entry('worstRecoveryMs')?.values).toEqual([
      { trial: 'stateful', value: 4000, status: 'value' },
      { trial: 'stateless', value: 2000, status: 'value' },
      { trial: 'event-sourced', value: null, status: 'never' },
    ]);
    expect(entry('worstRecoveryMs')?.best).toEqual(['stateless']);
    expect(entry('worstDetectionMs')?.best).toEqual(['stateful', 'stateless']);
    expect(entry('excessErrors')?.values.map((value) => value.value)).toEqual([40, 10, 12]);
    expect(entry('worstFairShareMs')?.values.map((value) => value.status)).toEqual(['never', 'value', 'not-applicable']);
    expect(entry('worstFairShareMs')?.best).toEqual(['stateless']);
    expect(entry('worstScaleOutFirstRequestMs')?.best).toEqual(['stateful']);
  });

  it('takes the worst time to ready of a replay caused by a fault, leaves start-up replays out, and is n/a without replays', () => {
    const replay = { replica: 'app-1', atMs: 0, eventsReplayed: 10, fromSnapshot: true, snapshotEvents: 0, replayMs: 5, eventsPerSecond: 2000 };
    const withReplays = trial('snapshot-every-1k', {
      replays: [
        { ...replay, cause: 'start', timeToReadyMs: null },
        { ...replay, cause: 'restart', timeToReadyMs: 900 },
        { ...replay, cause: 'scale-out', timeToReadyMs: 1300 },
      ],
    });
    const slower = trial('nightly-snapshot', { replays: [{ ...replay, cause: 'restart', eventsReplayed: 300_000, timeToReadyMs: 4000 }] });
    const ready = compareTrials([withReplays, slower, stateful]).find((candidate) => candidate.figure === 'worstReplayTimeToReadyMs');
    expect(ready?.values).toEqual([
      { trial: 'snapshot-every-1k', value: 1300, status: 'value' },
      { trial: 'nightly-snapshot', value: 4000, status: 'value' },
      { trial: 'stateful', value: null, status: 'not-applicable' },
    ]);
    expect(ready?.best).toEqual(['snapshot-every-1k']);
    // Without any replay in the run the figure is left out of the comparison.
    expect(comparison.some((candidate) => candidate.figure === 'worstReplayTimeToReadyMs')).toBe(false);
  });
});
