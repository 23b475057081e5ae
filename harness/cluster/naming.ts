/** Container and network names of one run; short names are what users see (X-Replica, reports). */
export function networkName(runId: string): string {
  return `harness-${runId}`;
}

/**
 * The load balancer's network: a replica joins it, under the alias the load balancer resolves, only
 * once it is ready; the data tier and readiness probes use the run's network.
 */
export function frontNetworkName(runId: string): string {
  return `harness-${runId}-front`;
}

export function containerName(runId: string, shortName: string): string {
  return `harness-${runId}-${shortName}`;
}

export function replicaName(index: number): string {
  return `app-${index}`;
}

export const LB_NAME = 'lb';
export const DATASTORE_NAME = 'redis';
export const APP_ALIAS = 'app';
export const DATASTORE_PORT = 6379;
