import type { Cluster, OperationResult } from '../cluster/cluster.ts';
import type { FaultAction } from './fault-event.ts';

/**
 * Each fault action as a cluster operation per target. Actions that leave the cluster degraded
 * name the action that reverts them, so the timeline can undo them at the end of a trial.
 */
export interface ActionDefinition {
  run(cluster: Cluster, targets: readonly string[], count: number): Promise<OperationResult[]>;
  revertedBy?: FaultAction;
}

const each =
  (operation: (cluster: Cluster, name: string) => Promise<OperationResult>) =>
  (cluster: Cluster, targets: readonly string[]): Promise<OperationResult[]> =>
    Promise.all(targets.map((name) => operation(cluster, name)));

export const ACTIONS: Record<FaultAction, ActionDefinition> = {
  kill: { run: each((c, n) => c.kill(n)) },
  stop: { run: each((c, n) => c.stop(n)) },
  restart: { run: each((c, n) => c.restart(n)) },
  pause: { run: each((c, n) => c.pause(n)), revertedBy: 'unpause' },
  unpause: { run: each((c, n) => c.unpause(n)) },
  partition: { run: each((c, n) => c.disconnect(n)), revertedBy: 'heal' },
  heal: { run: each((c, n) => c.reconnect(n)) },
  'scale-out': { run: (c, _targets, count) => c.addReplicas(count) },
  'scale-in': { run: (c, targets) => c.removeReplicas(targets) },
};
