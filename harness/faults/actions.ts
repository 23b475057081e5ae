import type { OperationResult } from '../cluster/cluster.ts';
import type { FaultAction } from './fault-event.ts';
import type { FaultableCluster } from './faultable-cluster.ts';

/**
 * Runs a fault action as cluster operations on its targets (`count` is for scale-out, which has
 * none). What each action is — what it reverts, what it may target — is in
 * harness/core/fault-actions.ts.
 */
export type RunAction = (cluster: FaultableCluster, targets: readonly string[], count: number) => Promise<OperationResult[]>;

const each =
  (operation: (cluster: FaultableCluster, name: string) => Promise<OperationResult>): RunAction =>
  (cluster, targets) =>
    Promise.all(targets.map((name) => operation(cluster, name)));

export const RUN_ACTION: Readonly<Record<FaultAction, RunAction>> = {
  kill: each((c, n) => c.kill(n)),
  stop: each((c, n) => c.stop(n)),
  restart: each((c, n) => c.restart(n)),
  pause: each((c, n) => c.pause(n)),
  unpause: each((c, n) => c.unpause(n)),
  partition: each((c, n) => c.disconnect(n)),
  heal: each((c, n) => c.reconnect(n)),
  'scale-out': (c, _targets, count) => c.addReplicas(count),
  'scale-in': (c, targets) => c.removeReplicas(targets),
};
