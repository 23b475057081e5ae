import type { ContainerRuntime } from '../docker/runtime.ts';
import type { ClusterPlan } from '../plan/cluster-plan.ts';
import type { ClusterImages } from './container-specs.ts';
import { frontNetworkName, networkName } from './naming.ts';
import type { Millis } from './operation.ts';

export interface ClusterOptions {
  signal?: AbortSignal;
  log?: (line: string) => void;
  clock?: () => Millis;
  /**
   * Where to write the load balancer's log, every line as HAProxy wrote it (lb.log). Without it the
   * harness keeps only the server state changes.
   */
  lbLogPath?: string;
}

/** What every part of one cluster works with: its plan and images, the engine, its networks, clock and abort signal. */
export interface ClusterContext {
  readonly plan: ClusterPlan;
  readonly images: ClusterImages;
  readonly runtime: ContainerRuntime;
  /** The run's network: replicas, the data tier, readiness probes. */
  readonly network: string;
  /** The load balancer's network: a replica joins it, under the alias HAProxy resolves, once ready. */
  readonly frontNetwork: string;
  readonly signal: AbortSignal | undefined;
  readonly now: () => Millis;
  readonly log: (line: string) => void;
}

export function clusterContext(plan: ClusterPlan, images: ClusterImages, runtime: ContainerRuntime, options: ClusterOptions): ClusterContext {
  return {
    plan,
    images,
    runtime,
    network: networkName(plan.runId),
    frontNetwork: frontNetworkName(plan.runId),
    signal: options.signal,
    now: options.clock ?? Date.now,
    log: (line) => options.log?.(line),
  };
}
