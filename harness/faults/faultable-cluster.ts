import type { Cluster } from '../cluster/cluster.ts';
import type { ClusterPlan } from '../plan/cluster-plan.ts';

/**
 * The part of a cluster that faults act on and choose their targets from: what the fault timeline
 * needs, so that it runs against an in-memory cluster in unit tests. A started Cluster is one.
 */
export interface FaultableCluster
  extends Pick<
    Cluster,
    'datastore' | 'replicas' | 'lbRequestCounts' | 'addReplicas' | 'removeReplicas' | 'kill' | 'stop' | 'restart' | 'pause' | 'unpause' | 'disconnect' | 'reconnect'
  > {
  /** Named in the reason a data-tier fault is skipped. */
  readonly plan: Pick<ClusterPlan, 'architecture'>;
}
