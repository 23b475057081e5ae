import { FAULT_TRAITS, type Liveness } from '../../core/fault-actions.ts';
import type { FaultEvent, FaultOperation } from '../../faults/fault-event.ts';
import type { TrialPlan } from '../trial-plan.ts';

interface Transition {
  time: number;
  alive: boolean;
}

/** When a fault's target leaves or enters service, by how the fault changes its liveness. */
const TRANSITIONS: Readonly<Record<Liveness, (event: FaultEvent, operation: FaultOperation | undefined) => Transition[]>> = {
  out: (event) => [{ time: event.startedAt, alive: false }],
  'out-until-ready': (event, operation) => [
    { time: event.startedAt, alive: false },
    { time: operation?.phases.ready ?? operation?.phases.started ?? operation?.completedAt ?? event.endedAt, alive: true },
  ],
  back: (event, operation) => [{ time: operation?.completedAt ?? event.endedAt, alive: true }],
  joins: (event, operation) => [{ time: operation?.phases.inLb ?? operation?.phases.ready ?? operation?.completedAt ?? event.endedAt, alive: true }],
};

/**
 * Which replicas are in service at a time, from the fault timeline alone (N in "fair share = half
 * of 1/N"): the initial replicas from t0, then each fault's liveness (harness/core/fault-actions.ts):
 * a replica stops being in service when a fault that takes it out starts on it, and is back when a
 * restart is ready, or when a revert (unpause, heal) completes; an added replica enters when the
 * load balancer marks it up (`inLb`, else `ready`, else when its operation completed).
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
    const transitions = TRANSITIONS[FAULT_TRAITS[event.action].liveness];
    for (const target of targets) {
      const operation = event.operations.find((op) => op.target === target);
      for (const { time, alive } of transitions(event, operation)) this.add(target, time, alive);
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
