import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Cluster } from '../cluster/cluster.ts';
import type { LogLine } from '../docker/runtime.ts';
import { lbCountersFile, lbSettingsFile, lbStatesFile, type LbStateRecord } from '../core/run-files/index.ts';

export interface LogFiles {
  lbStates: string;
  lbCounters: string;
  lbSettings: string;
  lbConfig: string;
  containersDir: string;
}

const asText = (lines: readonly LogLine[]): string => lines.map((l) => `${l.timestamp} ${l.text}\n`).join('');

/**
 * Saves what the cluster knows before it is removed: the load balancer's log ends (lb.log was
 * written while it ran, see ClusterOptions.lbLogPath), its server state changes mapped to replicas,
 * its counters (a snapshot at the end, after those taken during the trial), the settings and
 * configuration it ran with, and every container's log. Best effort per part: one that cannot be
 * saved is noted, the others are kept.
 */
export async function collectLogs(cluster: Cluster, files: LogFiles): Promise<string[]> {
  const problems: string[] = [];
  const attempt = async (what: string, action: () => Promise<void>): Promise<void> => {
    try {
      await action();
    } catch (error) {
      problems.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  await attempt('load balancer log', async () => {
    for (const problem of await cluster.finishLbLog()) problems.push(`load balancer log: ${problem}`);
  });
  await attempt('load balancer states', async () => {
    const states: LbStateRecord[] = (await cluster.lbStateEvents()).map((e) => ({
      time: e.time,
      slot: e.slot,
      state: e.state,
      replica: e.replica ?? null,
      ...(e.address !== undefined ? { address: e.address } : {}),
      reason: e.reason,
    }));
    await lbStatesFile.write(files.lbStates, states);
  });
  await attempt('load balancer counters', () => lbCountersFile.write(files.lbCounters, cluster.lbCounterSnapshots()));
  await attempt('load balancer settings', async () => {
    await lbSettingsFile.write(files.lbSettings, cluster.plan.lb);
    await writeFile(files.lbConfig, cluster.lbConfig);
  });

  await mkdir(files.containersDir, { recursive: true });
  const names = [cluster.lb.name, ...(cluster.datastore ? [cluster.datastore.name] : []), ...cluster.replicas().map((r) => r.name), ...cluster.retiredReplicas(), ...cluster.finishedJobs()];
  for (const name of names) {
    await attempt(name, async () => writeFile(path.join(files.containersDir, `${name}.log`), asText(await cluster.logs(name))));
  }
  return problems;
}
