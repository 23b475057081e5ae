import { LABEL_RUN, managedFilter, runFilter } from '../core/labels.ts';
import type { ContainerRuntime } from '../docker/runtime.ts';

/** Everything still carrying the run's label (or any run's, without a run id), through the Docker API. */
export async function leftovers(runtime: ContainerRuntime, runId?: string): Promise<string[]> {
  const filter = runId === undefined ? managedFilter() : runFilter(runId);
  const containers = await runtime.listContainers(filter);
  const networks = await runtime.listNetworks(filter);
  const volumes = await runtime.listVolumes(filter);
  return [
    ...containers.map((c) => `container ${c.name} (${c.labels[LABEL_RUN] ?? '?'})`),
    ...networks.map((n) => `network ${n.name}`),
    ...volumes.map((v) => `volume ${v.name}`),
  ];
}
