import type { AccumulatedTrial } from '../accumulate/trial-accumulator.ts';
import type { ScaleOutFigures } from '../results-schema.ts';
import { BUCKET_MS, type TrialPlan } from '../trial-plan.ts';
import { fairShareBucket } from './fair-share.ts';
import { phaseInversions } from './phase-order.ts';
import type { ReplicaLiveness } from './replica-liveness.ts';

/**
 * Scale-out latency of each added replica, relative to T0 = the operation's requestedAt: the phases
 * the fault timeline recorded, the first response carrying its name (the headline), and fair share —
 * the start of its first fair-share second, never earlier than its first request (1 s resolution) —
 * and any inversion of the phases' order, as a measurement problem.
 */
export function scaleOutFigures(plan: TrialPlan, accumulated: AccumulatedTrial, liveness: ReplicaLiveness): ScaleOutFigures[] {
  const figures: ScaleOutFigures[] = [];
  const phase = (phases: Record<string, number>, name: string, requestedAt: number): number | null => {
    const at = phases[name];
    return at === undefined ? null : at - requestedAt;
  };
  for (const fault of plan.faults) {
    if (fault.event.action !== 'scale-out' || fault.event.outcome === 'skipped') continue;
    for (const operation of fault.event.operations) {
      const watch = accumulated.scaleOutWatches.find((candidate) => candidate.operation === operation);
      const requestedAt = operation.requestedAt;
      const firstRequestMs =
        watch === undefined || Number.isNaN(watch.firstResponseAt) ? null : watch.firstResponseAt - requestedAt;
      let fairShareMs: number | null = null;
      const replicaId = accumulated.replicas.find(operation.target);
      if (firstRequestMs !== null && replicaId !== undefined) {
        const firstBucket = Math.floor((requestedAt + firstRequestMs - plan.t0) / BUCKET_MS);
        const bucket = fairShareBucket(accumulated.series, replicaId, firstBucket, (b) =>
          liveness.aliveAt(Math.min(plan.t0 + (b + 1) * BUCKET_MS, plan.endedAt)),
        );
        if (bucket !== null) fairShareMs = Math.max(firstRequestMs, plan.t0 + bucket * BUCKET_MS - requestedAt);
      }
      const phases = {
        created: phase(operation.phases, 'created', requestedAt),
        started: phase(operation.phases, 'started', requestedAt),
        ready: phase(operation.phases, 'ready', requestedAt),
        inLb: phase(operation.phases, 'inLb', requestedAt),
      };
      figures.push({
        faultIndex: fault.event.index,
        replica: operation.target,
        requestedAt,
        requestedMs: requestedAt - plan.t0,
        phases,
        firstRequestMs,
        fairShareMs,
        fairShareResolutionMs: BUCKET_MS,
        phaseProblems: phaseInversions({ ...phases, firstRequest: firstRequestMs }),
      });
    }
  }
  return figures;
}
