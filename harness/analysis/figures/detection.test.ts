import { describe, expect, it } from 'vitest';
import type { LbStateRecord } from '../../faults/fault-event.ts';
import type { PlannedFault } from '../trial-plan.ts';
import { detectionMs } from './detection.ts';

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
  losesSessions: false,
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
});
