import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeTrial } from './analyze-trial.ts';
import { belowBaselineTrial, invertedPhasesTrial, NO_IP_REASON, sessionlessTrial, sessionTrial, stallTrial, T0 } from './testing/definition-trials.ts';
import { writeSyntheticTrial, type SyntheticRequest, type SyntheticTrial } from './testing/synthetic-run.ts';

/**
 * The definitions of issue 12 on synthetic trials whose truth is known: the session loss rate's
 * denominators, "expected to lose" against "last served by the target", recovery on 100 ms buckets
 * for errors and latency, slow requests, what detected a fault, excess errors never negative, a
 * workload without sessions, and scale-out phases out of order.
 */

const workDir = mkdtempSync(path.join(os.tmpdir(), 'analysis-definitions-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));
const analyse = (trial: SyntheticTrial) => analyzeTrial(writeSyntheticTrial(path.join(workDir, trial.trial.name), trial));

describe('session loss rate', () => {
  it('divides by the sessions open at the fault, and shows the rate among those pinned to the target', async () => {
    const result = await analyse(sessionTrial('stateful', 'stateful'));
    // Old definition: 6 lost / 41 sessions seen after the fault (ten, idle and thirty new ones).
    expect(result.faults[0]?.sessions).toEqual({
      lost: 6,
      openAtFault: 10,
      lostOpen: 5,
      lossRate: 0.5,
      pinnedToTarget: 6,
      lostPinned: 6,
      pinnedLossRate: 1,
      pinnedMeaning: 'expected-to-lose',
    });
  });

  it('calls the pinned sessions "last served by the target" where sessions do not live in the replica', async () => {
    const result = await analyse(sessionTrial('stateless', 'stateless'));
    expect(result.faults[0]?.sessions).toMatchObject({ lost: 0, openAtFault: 10, lossRate: 0, pinnedToTarget: 6, pinnedLossRate: 0, pinnedMeaning: 'last-served-by-target' });
  });

  it('says what detected the kill: Docker’s DNS dropped the address, not a health check', async () => {
    const result = await analyse(sessionTrial('detected', 'stateful'));
    expect(result.faults[0]).toMatchObject({ detectionMs: 289, detectedBy: 'dns', detectionReason: NO_IP_REASON });
  });
});

describe('recovery on 100 ms buckets, for errors and for latency', () => {
  it('finds each to the 100 ms from the fault’s start, and waits for the later one; slow requests show the stall', async () => {
    const [fault] = (await analyse(stallTrial('stall'))).faults;
    expect(fault?.recoveryResolutionMs).toBe(100);
    expect(fault?.recovery).toEqual({ errorsMs: 300, latencyMs: 1500, band: { errorRate: 0.01, p99Ms: 7.5, emptyBuckets: 0 } });
    expect(fault?.recoveryMs).toBe(1500);
    // Baseline p99 5 ms: slow is over 50 ms; the 60 stalled requests, in seconds 20 and 21.
    expect(fault?.slowRequests).toEqual({ thresholdMs: 50, count: 60, bySecond: [{ t: 20, count: 10 }, { t: 21, count: 50 }] });
    expect(fault?.excessErrors).toBe(30);
  });
});

describe('excess errors', () => {
  it('are never negative: fewer errors than the baseline predicts is 0 excess, with the prediction beside it', async () => {
    // 10 % of requests fail before the fault, 5 % in its window.
    const [fault] = (await analyse(belowBaselineTrial('below'))).faults;
    expect(fault?.phases.during.failed).toBe(50);
    expect(fault?.predictedErrors).toBeCloseTo(100, 9);
    expect(fault?.excessErrors).toBe(0);
    // The health checks never marked the restarted replica down: nothing detected, nothing invented.
    expect(fault?.detectionApplies).toBe(true);
    expect(fault?.detectionMs).toBeNull();
    expect(fault?.detectedBy).toBeNull();
  });
});

describe('a workload without sessions', () => {
  it('has no session figures at all, rather than zeros of zero', async () => {
    const result = await analyse(sessionlessTrial('bank'));
    expect(result.totals).toMatchObject({ sessionsStarted: 0, sessionsSeen: 0, sessionsLost: 0 });
    expect(result.faults.map((fault) => fault.sessions)).toEqual([null, null]);
  });
});

describe('scale-out phases', () => {
  it('reports a phase recorded before one that must precede it as a measurement problem', async () => {
    const result = await analyse(invertedPhasesTrial('phases'));
    const [replica] = result.scaleOut;
    expect(replica?.phases).toEqual({ created: 100, started: 600, ready: 1500, inLb: 900 });
    expect(replica?.firstRequestMs).toBe(1205);
    expect(replica?.phaseProblems).toEqual([
      'in LB (900 ms after T0) is before ready (1500 ms)',
      'first request (1205 ms after T0) is before ready (1500 ms)',
    ]);
    expect(result.warnings).toContain('measurement problem: app-4 (fault #0): in LB (900 ms after T0) is before ready (1500 ms)');
  });
});

describe('t0', () => {
  it('is what trial.json says, with what it is; runs recorded before keep theirs as "first-point"', async () => {
    const requests: SyntheticRequest[] = [{ time: T0 + 1000, durationMs: 3, failed: false, replica: 'app-1' }];
    const trial = { name: 'old', architecture: 'stateless', t0: T0, endedAt: T0 + 5000, initialReplicas: ['app-1'] };
    const old = await analyse({ trial, requests });
    expect({ t0: old.t0, t0Source: old.t0Source }).toEqual({ t0: T0, t0Source: 'first-point' });
    const engine = await analyse({ trial: { ...trial, name: 'engine', t0Source: 'engine-start' }, requests });
    expect(engine.t0Source).toBe('engine-start');
  });
});
