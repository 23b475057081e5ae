import { LABEL_RUN, managedFilter, runFilter } from '../core/labels.ts';
import type { ContainerRuntime } from '../docker/runtime.ts';

/** Removes every container, volume and network carrying the run's label; returns what it removed. */
export async function removeRun(runtime: ContainerRuntime, runId: string): Promise<string[]> {
  return removeLabelled(runtime, runFilter(runId));
}

/** Removes everything any run left behind (crashed runs included). */
export async function removeAllRuns(runtime: ContainerRuntime): Promise<string[]> {
  return removeLabelled(runtime, managedFilter());
}

async function removeLabelled(runtime: ContainerRuntime, filter: Record<string, string>): Promise<string[]> {
  const removed: string[] = [];
  const containers = await runtime.listContainers(filter);
  await Promise.all(
    containers.map(async (c) => {
      await runtime.removeContainer(c.id);
      removed.push(`container ${c.name}`);
    }),
  );
  for (const volume of await runtime.listVolumes(filter)) {
    await runtime.removeVolume(volume.name);
    removed.push(`volume ${volume.name}`);
  }
  for (const network of await runtime.listNetworks(filter)) {
    await runtime.removeNetwork(network.id);
    removed.push(`network ${network.name}`);
  }
  return removed;
}

/** Run ids that have at least one labelled container or network, newest first. */
export async function listRuns(runtime: ContainerRuntime): Promise<string[]> {
  const ids = new Set<string>();
  for (const c of await runtime.listContainers(managedFilter())) if (c.labels[LABEL_RUN]) ids.add(c.labels[LABEL_RUN]);
  for (const n of await runtime.listNetworks(managedFilter())) if (n.labels[LABEL_RUN]) ids.add(n.labels[LABEL_RUN]);
  return [...ids].sort().reverse();
}
