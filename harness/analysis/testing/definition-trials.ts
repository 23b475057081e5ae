import { faultEvent, type SyntheticPoint, type SyntheticRequest, type SyntheticTrial } from './synthetic-run.ts';

/**
 * Synthetic trials for the definitions of issue 12, whose truth the tests know: the analysis tests
 * check the figures, the report tests check the words. Every trial starts at T0 and has a fault
 * window of 10 s.
 */

export const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);
export const at = (seconds: number): number => T0 + seconds * 1000;

const record = (name: string, architecture: string, seconds: number) => ({
  name,
  architecture,
  t0: T0,
  endedAt: at(seconds),
  initialReplicas: ['app-1', 'app-2', 'app-3'],
  faultWindowMs: 10_000,
});

/** HAProxy's words when Docker's DNS drops a dead replica's address (harness/cluster/lb-log.ts). */
export const NO_IP_REASON = '(No IP for server ). 2 active and 0 backup servers left.';

/**
 * app-2 is killed at 20 s (60 s trial). Ten sessions (a-0…a-9) make a request every 100 ms, a-odd on
 * app-2 until the kill, then on app-1; `idle` was last served by app-2 at 5 s and comes back at
 * 30 s; thirty sessions (n-0…n-29) are created 40–50 s, after the fault. Where sessions live in the
 * replica (stateful), the six sessions last on app-2 are lost when they come back: lost 6, open at
 * the fault 10 (5 of them lost), pinned to app-2 6 (all lost). Docker's DNS drops app-2 after 289 ms.
 */
export function sessionTrial(name: string, architecture: 'stateful' | 'stateless'): SyntheticTrial {
  const requests: SyntheticRequest[] = [];
  for (let tick = 0; tick < 600; tick++) {
    for (let i = 0; i < 10; i++) {
      const time = T0 + tick * 100 + i * 7 + 1;
      const replica = i % 2 === 1 && time < at(20) ? 'app-2' : 'app-1';
      requests.push({ time, durationMs: 4, failed: false, replica, session: `a-${i}` });
    }
  }
  requests.push({ time: at(5), durationMs: 4, failed: false, replica: 'app-2', session: 'idle' });
  requests.push({ time: at(30), durationMs: 4, failed: false, replica: 'app-1', session: 'idle' });
  for (let j = 0; j < 30; j++) {
    for (let k = 0; k < 5; k++) requests.push({ time: at(40 + j / 3 + k * 0.5) + 3, durationMs: 4, failed: false, replica: 'app-3', session: `n-${j}` });
  }
  requests.sort((a, b) => a.time - b.time);
  const lost: SyntheticPoint[] =
    architecture === 'stateful' ? [...[1, 3, 5, 7, 9].map((i) => ({ time: at(20) + 50 + i, session: `a-${i}` })), { time: at(30), session: 'idle' }] : [];
  return {
    trial: record(name, architecture, 60),
    requests,
    sessionsLost: lost,
    events: [faultEvent({ index: 0, action: 'kill', targets: ['app-2'], startedAt: at(20), selector: 'busiest' })],
    lbStates: [{ time: at(20.289), slot: 'app1', state: 'maint', replica: 'app-2', reason: NO_IP_REASON }],
  };
}

/**
 * 100 requests/s of 5 ms for 40 s; app-2 is killed at 20 s: every request fails for 300 ms, and the
 * 60 requests that end in [20.9 s, 21.5 s) waited 1 s. Errors recover in 300 ms, latency in 1,500 ms.
 */
export function stallTrial(name: string): SyntheticTrial {
  const requests: SyntheticRequest[] = Array.from({ length: 4000 }, (_, k) => {
    const time = T0 + k * 10 + 5;
    const failed = time >= at(20) && time < at(20.3);
    const stalled = time >= at(20.9) && time < at(21.5);
    return { time, durationMs: stalled ? 1000 : 5, failed, replica: failed ? 'none' : `app-${(k % 2) + 1}`, session: `s-${k % 20}` };
  });
  return {
    trial: record(name, 'stateless', 40),
    requests,
    events: [faultEvent({ index: 0, action: 'kill', targets: ['app-2'], startedAt: at(20) })],
  };
}

/**
 * 10 % of requests fail before a restart of app-1 at 20 s, 5 % in its window (50 errors where the
 * baseline predicts 100); the health checks never mark app-1 down.
 */
export function belowBaselineTrial(name: string): SyntheticTrial {
  const requests: SyntheticRequest[] = Array.from({ length: 3000 }, (_, k) => {
    const time = T0 + k * 10 + 5;
    const failed = time < at(20) ? k % 10 === 0 : k % 20 === 0;
    return { time, durationMs: 5, failed, replica: failed ? 'none' : 'app-1', session: `s-${k % 20}` };
  });
  return {
    trial: record(name, 'stateless', 30),
    requests,
    events: [faultEvent({ index: 0, action: 'restart', targets: ['app-1'], startedAt: at(20) })],
  };
}

/** A workload without sessions (as the bank's): requests carry no session; a kill at 10 s, a restart at 12 s. */
export function sessionlessTrial(name: string): SyntheticTrial {
  const requests: SyntheticRequest[] = Array.from({ length: 2000 }, (_, k) => ({ time: T0 + k * 10 + 5, durationMs: 3, failed: false, replica: 'app-1' }));
  return {
    trial: record(name, 'event-sourced', 20),
    requests,
    events: [faultEvent({ index: 0, action: 'kill', targets: ['app-2'], startedAt: at(10) }), faultEvent({ index: 1, action: 'restart', targets: ['app-3'], startedAt: at(12) })],
  };
}

/**
 * app-4 is added at 10 s; the load balancer's "up" (in LB, +900 ms) came before the readiness
 * probe's first 200 (ready, +1,500 ms), and app-4 served its first request at +1,205 ms.
 */
export function invertedPhasesTrial(name: string): SyntheticTrial {
  const requests: SyntheticRequest[] = Array.from({ length: 3000 }, (_, k) => {
    const time = T0 + k * 10 + 5;
    return { time, durationMs: 3, failed: false, replica: time >= at(11.2) && k % 4 === 0 ? 'app-4' : 'app-1', session: `s-${k % 10}` };
  });
  const requestedAt = at(10);
  return {
    trial: record(name, 'stateless', 30),
    requests,
    events: [
      faultEvent({
        index: 0,
        action: 'scale-out',
        selector: 'newest',
        targets: ['app-4'],
        startedAt: requestedAt,
        operations: [
          {
            target: 'app-4',
            containerId: 'id-app-4',
            requestedAt,
            completedAt: requestedAt + 1500,
            phases: { created: requestedAt + 100, started: requestedAt + 600, ready: requestedAt + 1500, inLb: requestedAt + 900 },
          },
        ],
      }),
    ],
  };
}
