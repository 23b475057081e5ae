import { describe, expect, it } from 'vitest';
import type { LbStateRecord } from '../../core/run-files/index.ts';
import type { PlannedFault } from '../trial-plan.ts';
import { detectionCause } from './detection-cause.ts';
import { detection, detectionMs } from './detection.ts';

const span = { from: 0, to: 0 };
const fault = (position: number, start: number, action: PlannedFault['event']['action'], targets: string[]): PlannedFault => ({
  event: { action } as PlannedFault['event'],
  position,
  start,
  before: span,
  during: span,
  after: span,
  replicaTargets: targets,
  attributesSessions: true,
  takesReplicaAway: false,
  detectable: action !== 'scale-out',
});
const down = (time: number, replica: string): LbStateRecord => ({ time, slot: 'app1', state: 'down', replica, reason: 'Layer4 connection problem' });

describe('detectionMs', () => {
  const restartAt10 = fault(0, 10_000, 'restart', ['app-1']);
  const killAt30 = fault(1, 30_000, 'kill', ['app-1']);

  it('is the time to the first down record of a target after the fault', () => {
    expect(detectionMs(restartAt10, [down(9000, 'app-1'), down(11_200, 'app-2'), down(11_500, 'app-1')], [restartAt10, killAt30])).toBe(1500);
  });

  it('does not take the down record of a later fault on the same replica (a restart the checks missed)', () => {
    expect(detectionMs(restartAt10, [down(31_000, 'app-1')], [restartAt10, killAt30])).toBeNull();
    expect(detectionMs(killAt30, [down(31_000, 'app-1')], [restartAt10, killAt30])).toBe(1000);
  });

  it('is not bounded by later faults on other replicas', () => {
    const other = fault(1, 12_000, 'kill', ['app-2']);
    expect(detectionMs(restartAt10, [down(13_000, 'app-1')], [restartAt10, other])).toBe(3000);
  });

  it('says what detected it, in the load balancer\'s own words', () => {
    const maint: LbStateRecord = { time: 10_289, slot: 'app1', state: 'maint', replica: 'app-1', reason: '(No IP for server ). 2 active and 0 backup servers left.' };
    expect(detection(restartAt10, [maint], [restartAt10])).toEqual({ ms: 289, cause: 'dns', reason: maint.reason });
  });
});

describe('detectionCause', () => {
  // Reasons as harness/cluster/lb-log.ts keeps them from HAProxy's log lines.
  it.each([
    ['maint', '(No IP for server ). 2 active and 0 backup servers left. 3 sessions active, 0 requeued, 0 remaining in queue.', 'dns'],
    ['maint', '(DNS NX status). 1 active and 0 backup servers left.', 'dns'],
    ['down', 'reason: Layer4 connection problem, info: "Connection refused", check duration: 0ms. 1 active and 0 backup servers left.', 'connection-refused'],
    ['down', 'reason: Layer4 timeout, check duration: 501ms. 3 active and 0 backup servers left.', 'health-check'],
    ['down', 'reason: Layer7 wrong status, code: 503, info: "Service Unavailable", check duration: 2ms.', 'health-check'],
    ['down', 'reason: Health analyze, info: "Detected 10 consecutive errors, last one was: L4 unsuccessful connection".', 'traffic'],
    ['down', 'changed from CLI. 1 active and 0 backup servers left.', 'admin'],
    ['maint', '. 2 active and 0 backup servers left.', 'admin'],
    ['down', 'something new', 'unknown'],
  ] as const)('%s "%s" → %s', (state, reason, cause) => {
    expect(detectionCause(state, reason)).toBe(cause);
  });
});
