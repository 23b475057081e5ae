import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Cluster } from '../cluster/cluster.ts';
import type { LogLine } from '../docker/runtime.ts';
import type { LbStateRecord } from '../faults/fault-event.ts';

export interface LogFiles {
  lbLog: string;
  lbStates: string;
  containersDir: string;
}

const asText = (lines: readonly LogLine[]): string => lines.map((l) => `${l.timestamp} ${l.text}\n`).join('');

/**
 * Copies what the containers logged into the trial directory before the cluster is removed: the
 * load balancer's log, its server state changes mapped to replicas, and every container's log.
 * Best effort per container: one that cannot be read is noted, the others are kept.
 */
export async function collectLogs(cluster: Cluster, files: LogFiles): Promise<string[]> {
  const problems: string[] = [];
  await mkdir(files.containersDir, { recursive: true });
  const names = [cluster.lb.name, ...(cluster.datastore ? [cluster.datastore.name] : []), ...cluster.replicas().map((r) => r.name), ...cluster.retiredReplicas(), ...cluster.finishedJobs()];
  for (const name of names) {
    try {
      const lines = await cluster.logs(name);
      await writeFile(path.join(files.containersDir, `${name}.log`), asText(lines));
      if (name === cluster.lb.name) await writeFile(files.lbLog, asText(lines));
    } catch (error) {
      problems.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  try {
    const states: LbStateRecord[] = (await cluster.lbStateEvents()).map((e) => ({
      time: e.time,
      slot: e.slot,
      state: e.state,
      replica: e.replica ?? null,
      ...(e.address !== undefined ? { address: e.address } : {}),
      reason: e.reason,
    }));
    await writeFile(files.lbStates, states.map((s) => `${JSON.stringify(s)}\n`).join(''));
  } catch (error) {
    problems.push(`load balancer states: ${error instanceof Error ? error.message : String(error)}`);
  }
  return problems;
}
