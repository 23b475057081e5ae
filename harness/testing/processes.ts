/**
 * What tests need to know about processes, read from /proc (Linux): a process's parent and group,
 * its descendants, and whether it still runs. A zombie counts as gone: it runs nothing, and who reaps
 * it (here, the machine's init does so late) is not what the tests are about.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { waitUntil } from '../cluster/probes.ts';
import { GUARD_NAME } from '../core/process-guard.ts';

export const HAS_PROC = existsSync('/proc/self/stat');

interface ProcStat {
  pid: number;
  state: string;
  ppid: number;
  pgid: number;
  /** User + system CPU time, in clock ticks (usually 1/100 s). */
  cpuTicks: number;
}

function stat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name is in parentheses and may itself hold spaces or parentheses.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { pid, state: fields[0] ?? '', ppid: Number(fields[1]), pgid: Number(fields[2]), cpuTicks: Number(fields[11]) + Number(fields[12]) };
}

function allProcesses(): ProcStat[] {
  const list: ProcStat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = stat(Number(name));
    if (s !== undefined) list.push(s);
  }
  return list;
}

/** CPU time the process has used, in seconds (assuming the usual 100 clock ticks a second). */
export function cpuSeconds(pid: number): number {
  return (stat(pid)?.cpuTicks ?? 0) / 100;
}

export function isRunning(pid: number): boolean {
  const s = stat(pid);
  return s !== undefined && s.state !== 'Z';
}

/** Running descendants of `pid` (children, their children, …). */
export function descendants(pid: number): number[] {
  const all = allProcesses().filter((p) => p.state !== 'Z');
  const found: number[] = [];
  let frontier = [pid];
  while (frontier.length > 0) {
    const next = all.filter((p) => frontier.includes(p.ppid)).map((p) => p.pid);
    found.push(...next);
    frontier = next;
  }
  return found;
}

/** Running members of a process group. */
export function groupMembers(pgid: number): number[] {
  return allProcesses()
    .filter((p) => p.pgid === pgid && p.state !== 'Z')
    .map((p) => p.pid);
}

export function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((a) => a !== '');
  } catch {
    return [];
  }
}

/** Running process guards (core/process-guard.ts) started by `parentPid`, wherever they are now. */
export function guardsOf(parentPid: number): number[] {
  return allProcesses()
    .filter((p) => p.state !== 'Z')
    .filter((p) => {
      const args = commandLine(p.pid);
      const at = args.indexOf(GUARD_NAME);
      return at !== -1 && args[at + 1] === String(parentPid);
    })
    .map((p) => p.pid);
}

/** Polls `probe` until it returns something other than undefined; rejects after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs: number, intervalMs = 100): Promise<T> {
  const value = await waitUntil(async () => probe(), { timeoutMs, intervalMs });
  if (value === undefined) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
  return value;
}

/** The first running descendant of `pid` whose command line matches. */
export function descendantRunning(pid: number, match: (args: string[]) => boolean): number | undefined {
  return descendants(pid).find((p) => match(commandLine(p)));
}

/** Resolves once none of `pids` runs; rejects after `timeoutMs`, naming those left. */
export async function allGone(pids: readonly number[], timeoutMs: number): Promise<void> {
  try {
    await waitFor('the processes to end', () => (pids.some(isRunning) ? undefined : true), timeoutMs, 50);
  } catch {
    const left = pids.filter(isRunning).map((p) => `${p} (${commandLine(p).join(' ').slice(0, 120)})`);
    throw new Error(`still running after ${timeoutMs} ms: ${left.join(', ')}`);
  }
}
