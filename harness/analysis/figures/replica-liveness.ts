import type { FaultEvent, FaultOperation } from '../../faults/fault-event.ts';
import type { TrialPlan } from '../trial-plan.ts';

interface Transition {
  time: number;
  alive: boolean;
}

/**
 * Which replicas are in service at a time, from the fault timeline alone (N in "fair share = half
 * of 1/N"): the initial replicas from t0; a replica stops being in service when a kill, stop, pause,
 * partition, restart or scale-in starts on it, and is back when a restart is ready, or when an
 * unpause or heal completes; an added replica enters when the load balancer marks it up (`inLb`,
 * else `ready`, else when its operation completed).
 */
export class ReplicaLiveness {
  private readonly transitions = new Map<string, Transition[]>();

  constructor(plan: TrialPlan) {
    for (const name of plan.trial.initialReplicas) this.add(name, plan.t0, true);
    for (const fault of plan.faults) {
      if (fault.event.outcome === 'skipped' || fault.replicaTargets.length === 0) continue;
      this.applyFault(fault.event, fault.replicaTargets);
    }
    for (const list of this.transitions.values()) list.sort((a, b) => a.time - b.time);
  }

  /** How many replicas are in service at `time` (a transition at exactly `time` has happened). */
  aliveAt(time: number): number {
    let alive = 0;
    for (const list of this.transitions.values()) {
      let state = false;
      for (const transition of list) {
        if (transition.time > time) break;
        state = transition.alive;
      }
      if (state) alive++;
    }
    return alive;
  }

  private applyFault(event: FaultEvent, targets: readonly string[]): void {
    const operationOf = (target: string): FaultOperation | undefined => event.operations.find((op) => op.target === target);
    for (const target of targets) {
      const operation = operationOf(target);
      switch (event.action) {
        case 'kill':
        case 'stop':
        case 'pause':
        case 'partition':
        case 'scale-in':
          this.add(target, event.startedAt, false);
          break;
        case 'restart':
          this.add(target, event.startedAt, false);
          this.add(target, operation?.phases.ready ?? operation?.phases.started ?? operation?.completedAt ?? event.endedAt, true);
          break;
        case 'unpause':
        case 'heal':
          this.add(target, operation?.completedAt ?? event.endedAt, true);
          break;
        case 'scale-out':
          this.add(target, operation?.phases.inLb ?? operation?.phases.ready ?? operation?.completedAt ?? event.endedAt, true);
          break;
      }
    }
  }

  private add(replica: string, time: number, alive: boolean): void {
    let list = this.transitions.get(replica);
    if (list === undefined) {
      list = [];
      this.transitions.set(replica, list);
    }
    list.push({ time, alive });
  }
}
