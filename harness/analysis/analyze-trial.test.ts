import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeTrial } from './analyze-trial.ts';
import type { TrialResult } from './results-schema.ts';
import { faultEvent, writeSyntheticTrial, type SyntheticRequest } from './testing/synthetic-run.ts';

const T0 = Date.UTC(2026, 10, 28, 12, 0, 0);
const at = (seconds: number): number => T0 + seconds * 1000;
const workDir = mkdtempSync(path.join(os.tmpdir(), 'analysis-trial-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** Nearest-rank percentile, the definition HDR follows. */
function nearestRank(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.round((p / 100) * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}

/** HDR keeps 3 significant digits: within 0.1 % (plus the 1 µs unit). */
function expectWithinHdr(actual: number | null, truth: number): void {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual ?? 0) - truth)).toBeLessThanOrEqual(truth * 0.001 + 0.001);
}

/**
 * Kill scenario. 100 requests/s for 60 s, request k at t = 10k + 5 ms. 30 sticky sessions: session
 * k % 30 on replica app-(k % 3 + 1). 1 % background errors (k % 100 = 99, no replica). app-2 is
 * killed at 20 s: its requests fail until 25 s, then its sessions move to app-1 and are lost there.
 * Latency (ms) is 1..1000 by k, ×2 during [20, 30), ×3 during [30, 40).
 */
function killScenario(): { requests: SyntheticRequest[]; dir: string } {
  const requests: SyntheticRequest[] = [];
  const lostSessions: Array<{ time: number; session: string; replica: string }> = [];
  const lostAlready = new Set<string>();
  for (let k = 0; k < 6000; k++) {
    const time = T0 + k * 10 + 5;
    const seconds = (time - T0) / 1000;
    const sessionIndex = k % 30;
    const session = `s-${sessionIndex}`;
    let replica = `app-${(k % 3) + 1}`;
    const burst = replica === 'app-2' && seconds >= 20 && seconds < 25;
    if (replica === 'app-2' && seconds >= 25) {
      replica = 'app-1';
      if (!lostAlready.has(session)) {
        lostAlready.add(session);
        lostSessions.push({ time, session, replica });
      }
    }
    const background = k % 100 === 99;
    const failed = burst || background;
    const factor = seconds >= 20 && seconds < 30 ? 2 : seconds >= 30 && seconds < 40 ? 3 : 1;
    requests.push({ time, durationMs: factor * ((k % 1000) + 1), failed, replica: failed ? 'none' : replica, session });
  }
  // x-late: on app-2 before the fault, never seen after it → not expected to lose.
  requests.push({ time: at(3), durationMs: 1, failed: false, replica: 'app-2', session: 'x-late' });
  // y: on app-3, reported lost after the fault although app-3 lived → lost, not expected.
  requests.push({ time: at(3), durationMs: 1, failed: false, replica: 'app-3', session: 'y' });
  requests.push({ time: at(45), durationMs: 1, failed: false, replica: 'app-3', session: 'y' });
  lostSessions.push({ time: at(45), session: 'y', replica: 'app-3' });
  // z: lost before any fault.
  lostSessions.push({ time: at(5), session: 'z', replica: 'app-1' });
  requests.sort((a, b) => a.time - b.time);

  const dir = writeSyntheticTrial(workDir, {
    trial: {
      name: 'stateful',
      architecture: 'stateful',
      t0: T0,
      endedAt: at(60),
      initialReplicas: ['app-1', 'app-2', 'app-3'],
      faultWindowMs: 10_000,
    },
    requests,
    sessionsStarted: Array.from({ length: 30 }, (_, i) => ({ time: T0 + i * 10 + 1, session: `s-${i}` })),
    sessionsLost: lostSessions,
    events: [faultEvent({ index: 0, action: 'kill', targets: ['app-2'], startedAt: at(20), selector: '1' })],
    lbStates: [
      { time: at(0), slot: 'app2', state: 'up', replica: 'app-2', reason: 'initial' },
      { time: at(19), slot: 'app2', state: 'down', replica: 'app-2', reason: 'decoy: before the fault' },
      { time: at(21), slot: 'app1', state: 'down', replica: 'app-1', reason: 'decoy: not a target' },
      { time: at(21.5), slot: 'app2', state: 'down', replica: 'app-2', reason: 'Layer4 connection problem' },
      { time: at(22), slot: 'app2', state: 'maint', replica: 'app-2', reason: 'later' },
    ],
  });
  return { requests, dir };
}

describe('analyzeTrial on a kill with an error burst of known length', () => {
  const scenario = killScenario();
  let result: TrialResult;
  const analysed = analyzeTrial(scenario.dir).then((r) => {
    result = r;
  });

  it('counts the whole trial', async () => {
    await analysed;
    const truthFailed = scenario.requests.filter((r) => r.failed).length;
    expect(result.totals.requests).toBe(scenario.requests.length);
    expect(result.totals.failed).toBe(truthFailed);
    expect(result.totals.errorRate).toBeCloseTo(truthFailed / scenario.requests.length, 12);
    expect(result.totals.sessionsStarted).toBe(30);
    expect(result.totals.sessionsLost).toBe(12);
    expect(result.totals.sessionsLostOutsideFaults).toBe(1);
    const latencies = scenario.requests.map((r) => r.durationMs).sort((a, b) => a - b);
    expectWithinHdr(result.totals.latency.p50Ms, nearestRank(latencies, 50));
    expectWithinHdr(result.totals.latency.p95Ms, nearestRank(latencies, 95));
    expectWithinHdr(result.totals.latency.p99Ms, nearestRank(latencies, 99));
    expect(result.totals.latency.maxMs).toBe(3000);
    expect(result.inputs.load.pointsBeforeT0 + result.inputs.load.pointsAfterEnd).toBe(0);
    expect(result.inputs.load.malformedLines).toBe(0);
    expect(result.warnings).toEqual([]);
  });

  it('fills every 1 s bucket exactly', async () => {
    await analysed;
    expect(result.seconds).toHaveLength(60);
    for (const second of result.seconds) {
      const inside = scenario.requests.filter((r) => r.time >= at(second.t) && r.time < at(second.t + 1));
      const failed = inside.filter((r) => r.failed).length;
      expect(second.requests).toBe(inside.length);
      expect(second.reqPerSec).toBe(inside.length);
      expect(second.failed).toBe(failed);
      expect(second.errorRate).toBeCloseTo(failed / inside.length, 12);
      const served = inside.filter((r) => r.replica !== 'none');
      for (const replica of ['app-1', 'app-2', 'app-3']) {
        const count = served.filter((r) => r.replica === replica).length;
        expect(second.responsesByReplica[replica] ?? 0).toBe(count);
        expect(second.shareByReplica[replica] ?? 0).toBeCloseTo(count / served.length, 12);
      }
      const latencies = inside.map((r) => r.durationMs).sort((a, b) => a - b);
      expectWithinHdr(second.latency.p50Ms, nearestRank(latencies, 50));
      expectWithinHdr(second.latency.p95Ms, nearestRank(latencies, 95));
      expectWithinHdr(second.latency.p99Ms, nearestRank(latencies, 99));
      expect(second.latency.maxMs).toBe(Math.max(...latencies));
    }
    // Second 15 holds k = 1500…1599: latencies 501…600 ms.
    const fifteen = result.seconds[15];
    expectWithinHdr(fifteen?.latency.p50Ms ?? null, 550);
    expect(fifteen?.latency.maxMs).toBe(600);
    // Second 20: 33 requests of app-2 fail, plus k = 2099 in the background.
    expect(result.seconds[20]?.failed).toBe(34);
    expect(result.seconds[20]?.shareByReplica['app-2']).toBeUndefined();
  });

  it('measures the fault: window, baseline, excess and slow requests, detection and recovery', async () => {
    await analysed;
    const [fault] = result.faults;
    expect(fault).toBeDefined();
    if (fault === undefined) return;
    expect(fault.startMs).toBe(20_000);
    // Window [20, 30): k = 2000…2999; 166 app-2 requests fail in [20, 25), 10 background, 1 overlaps.
    expect(fault.phases.during.requests).toBe(1000);
    expect(fault.phases.during.failed).toBe(175);
    expect(fault.windowErrorRate).toBeCloseTo(0.175, 12);
    // Baseline [10, 20): 10 background errors in 1000 requests (+ nothing else: y and x-late are at 3 s).
    expect(fault.phases.before.requests).toBe(1000);
    expect(fault.baselineErrorRate).toBeCloseTo(0.01, 12);
    expect(fault.predictedErrors).toBeCloseTo(10, 9);
    expect(fault.excessErrors).toBeCloseTo(165, 9);
    // Baseline p99 ≈ 990 ms: slow is over min(9,900 ms, 1 s). The window's latencies are doubled:
    // k mod 1000 ≥ 500 take over 1 s, which are the seconds 25…29, 100 each.
    expect(fault.slowRequests.thresholdMs).toBe(1000);
    expect(fault.slowRequests.count).toBe(500);
    expect(fault.slowRequests.bySecond).toEqual([25, 26, 27, 28, 29].map((t) => ({ t, count: 100 })));
    // The first lb-states record at/after 20 s that marks app-2 down: 21.5 s, by a health check.
    expect(fault.detectionApplies).toBe(true);
    expect(fault.detectionMs).toBe(1500);
    expect(fault.detectedBy).toBe('health-check');
    expect(fault.detectionReason).toBe('Layer4 connection problem');
    // On 100 ms buckets (10 requests each): the baseline's worst bucket has 1 error in 10, so the
    // error band is 10 %; errors end at 25 s. Its worst bucket p99 is 1,000 ms, so the latency band is
    // 1,500 ms: doubled latencies leave it from 27.5 s (k mod 1000 ≥ 750) to 30 s, tripled ones are
    // back under it for 5 s from 30 s. Recovery waits for both; the relapse at 35 s comes after it.
    expect(fault.recovery.band).toEqual({ errorRate: 0.1, p99Ms: 1500, emptyBuckets: 0 });
    expect(fault.recovery.errorsMs).toBe(5000);
    expect(fault.recovery.latencyMs).toBe(10_000);
    expect(fault.recoveryMs).toBe(10_000);
    expect(fault.recoveryResolutionMs).toBe(100);
  });

  it('puts latency into before / during / after phases', async () => {
    await analysed;
    const phases = result.faults[0]?.phases;
    // Each phase holds k mod 1000 = 0…999 once, scaled by 1, 2 and 3.
    expect(phases?.before.fromMs).toBe(10_000);
    expect(phases?.before.toMs).toBe(20_000);
    expect(phases?.after.fromMs).toBe(30_000);
    expect(phases?.after.toMs).toBe(40_000);
    expectWithinHdr(phases?.before.latency.p50Ms ?? null, 500);
    expectWithinHdr(phases?.before.latency.p95Ms ?? null, 950);
    expectWithinHdr(phases?.before.latency.p99Ms ?? null, 990);
    expect(phases?.before.latency.maxMs).toBe(1000);
    expectWithinHdr(phases?.during.latency.p50Ms ?? null, 1000);
    expectWithinHdr(phases?.during.latency.p99Ms ?? null, 1980);
    expect(phases?.during.latency.maxMs).toBe(2000);
    expectWithinHdr(phases?.after.latency.p95Ms ?? null, 2850);
    expect(phases?.after.latency.maxMs).toBe(3000);
    expect(phases?.after.latency.count).toBe(1000);
  });

  it('shows the loss rate among the sessions open at the fault, and among those pinned to the target', async () => {
    await analysed;
    const sessions = result.faults[0]?.sessions;
    // Open at the fault: s-0…s-29 (active in [10 s, 20 s) and after). s-1, s-4, … s-28 were last on
    // app-2 and came back: pinned (expected to lose: stateful) and lost. y: lost, but idle since 3 s,
    // so neither open nor pinned. x-late: last on app-2 but never came back. z: lost before the fault.
    expect(sessions).toEqual({
      lost: 11,
      openAtFault: 30,
      lostOpen: 10,
      lossRate: 10 / 30,
      pinnedToTarget: 10,
      lostPinned: 10,
      pinnedLossRate: 1,
      pinnedMeaning: 'expected-to-lose',
    });
  });
});

/**
 * Scale-out scenario. 100 requests/s for 60 s on app-1…3 round robin. app-4 is requested at 30 s
 * (created +0.2, started +0.5, ready +1.0, in LB +1.5 s) and takes every 4th request from 31.6 s.
 * app-5 is requested at 45 s (in LB at 46.5 s) and only takes every 20th request from 47 s: 5 %,
 * under half of 1/5 = 10 %, so its fair share is never reached.
 */
function scaleOutScenario(): string {
  const requests: SyntheticRequest[] = [];
  for (let k = 0; k < 6000; k++) {
    const time = T0 + k * 10 + 5;
    const seconds = (time - T0) / 1000;
    let replica = `app-${(k % 3) + 1}`;
    if (seconds >= 47 && k % 20 === 0) replica = 'app-5';
    else if (seconds >= 31.6 && k % 4 === 0) replica = 'app-4';
    requests.push({ time, durationMs: 5, failed: false, replica, session: `s-${k % 40}` });
  }
  const operation = (target: string, requestedAt: number) => ({
    target,
    containerId: `id-${target}`,
    requestedAt,
    completedAt: requestedAt + 1500,
    phases: { created: requestedAt + 200, started: requestedAt + 500, ready: requestedAt + 1000, inLb: requestedAt + 1500 },
  });
  return writeSyntheticTrial(workDir, {
    trial: { name: 'stateless', architecture: 'stateless', t0: T0, endedAt: at(60), initialReplicas: ['app-1', 'app-2', 'app-3'] },
    requests,
    events: [
      faultEvent({
        index: 0,
        action: 'scale-out',
        selector: 'newest',
        targets: ['app-4'],
        startedAt: at(30),
        operations: [operation('app-4', at(30))],
      }),
      faultEvent({
        index: 1,
        action: 'scale-out',
        selector: 'newest',
        targets: ['app-5'],
        startedAt: at(45),
        operations: [operation('app-5', at(45))],
      }),
    ],
  });
}

describe('analyzeTrial on replicas appearing at known times', () => {
  const dir = scaleOutScenario();

  it('measures every scale-out phase, the first request and fair share', async () => {
    const result = await analyzeTrial(dir);
    expect(result.scaleOut).toEqual([
      {
        faultIndex: 0,
        replica: 'app-4',
        requestedAt: at(30),
        requestedMs: 30_000,
        phases: { created: 200, started: 500, ready: 1000, inLb: 1500 },
        // k = 3160 at 31.605 s is the first request on app-4.
        firstRequestMs: 1605,
        // Second 31 gives it 10 % (< half of 1/4); seconds 32, 33, 34 give it 25 %.
        fairShareMs: 2000,
        fairShareResolutionMs: 1000,
        phaseProblems: [],
      },
      {
        faultIndex: 1,
        replica: 'app-5',
        requestedAt: at(45),
        requestedMs: 45_000,
        phases: { created: 200, started: 500, ready: 1000, inLb: 1500 },
        firstRequestMs: 2005,
        fairShareMs: null,
        fairShareResolutionMs: 1000,
        phaseProblems: [],
      },
    ]);
    // A scale-out takes no replica away and is not a fault the load balancer detects.
    expect(result.faults[0]?.sessions?.pinnedToTarget).toBeNull();
    expect(result.faults[0]?.sessions?.pinnedMeaning).toBeNull();
    expect(result.faults[0]?.detectionApplies).toBe(false);
    expect(result.faults[0]?.detectionMs).toBeNull();
    expect(result.faults[0]?.recoveryMs).toBe(0);
    expect(result.seconds[40]?.shareByReplica['app-4']).toBeCloseTo(0.25, 12);
  });
});

describe('analyzeTrial when nothing recovers and nothing is detected', () => {
  it('reports null recovery, null detection, and no pinned sessions for a data tier fault', async () => {
    const requests: SyntheticRequest[] = [];
    for (let k = 0; k < 3000; k++) {
      const time = T0 + k * 10 + 5;
      const failed = time >= at(20);
      requests.push({ time, durationMs: 2, failed, replica: failed ? 'app-1' : 'app-1', session: `s-${k % 10}` });
    }
    const dir = writeSyntheticTrial(path.join(workDir, 'datastore'), {
      trial: { name: 'stateless', architecture: 'stateless', t0: T0, endedAt: at(30), initialReplicas: ['app-1'] },
      requests,
      events: [
        faultEvent({ index: 0, action: 'kill', selector: 'datastore', targets: ['redis'], startedAt: at(20) }),
        faultEvent({ index: 1, action: 'kill', selector: '0', targets: ['app-1'], startedAt: at(25), outcome: 'skipped' }),
      ],
      sessionsLost: [{ time: at(26), session: 's-1' }],
    });
    const result = await analyzeTrial(dir);
    const [datastore, skipped] = result.faults;
    expect(datastore?.excessErrors).toBe(1000);
    expect(datastore?.recoveryMs).toBeNull();
    expect(datastore?.detectionApplies).toBe(false);
    expect(datastore?.sessions?.pinnedToTarget).toBeNull();
    // The loss at 26 s follows a skipped fault, which did nothing: it is the data tier's.
    expect(datastore?.sessions?.lost).toBe(1);
    expect(skipped?.sessions?.lost).toBe(0);
    expect(skipped?.sessions?.pinnedToTarget).toBeNull();
    // The window of a fault 5 s before the end is cut to the trial.
    expect(skipped?.phases.during.toMs).toBe(30_000);
    expect(skipped?.phases.after.requests).toBe(0);
    expect(skipped?.phases.after.errorRate).toBeNull();
  });

  it('detects nothing when the load balancer never marks the target down', async () => {
    const requests: SyntheticRequest[] = Array.from({ length: 2000 }, (_, k) => ({
      time: T0 + k * 10 + 5,
      durationMs: 1,
      failed: false,
      replica: 'app-1',
    }));
    const dir = writeSyntheticTrial(path.join(workDir, 'undetected'), {
      trial: { name: 'stateful', architecture: 'stateful', t0: T0, endedAt: at(20), initialReplicas: ['app-1', 'app-2'] },
      requests,
      events: [faultEvent({ index: 0, action: 'pause', targets: ['app-2'], startedAt: at(10) })],
      lbStates: [{ time: at(12), slot: 'app1', state: 'down', replica: 'app-1', reason: 'other replica' }],
    });
    const result = await analyzeTrial(dir);
    expect(result.faults[0]?.detectionApplies).toBe(true);
    expect(result.faults[0]?.detectionMs).toBeNull();
    expect(result.faults[0]?.recoveryMs).toBe(0);
    // Requests without a session tag: a workload without sessions has no session figures.
    expect(result.faults[0]?.sessions).toBeNull();
  });
});
