/**
 * The ledger's history, written before an event-sourced cluster's replicas start: a one-shot
 * container of the app image running `seed-ledger <events>` against the run's Redis. The app owns the
 * log's encoding, so the harness only runs its command; the container carries the run's labels like
 * every other, and is removed once it has exited (its log is kept for the trial's files).
 */
import { HarnessError } from '../core/errors.ts';
import type { ContainerRuntime, ContainerSpec, LogLine } from '../docker/runtime.ts';
import { waitUntil } from './probes.ts';

export const SEED_JOB_NAME = 'seed-ledger';

export interface SeedResult {
  /** Log entries appended (the account's opening plus the deposits). */
  events: number;
  /** The seed's own time inside the container, as it logged it. */
  durationMs: number;
  /** From create to exit, container start included. */
  wallMs: number;
}

/** The command line the app's seed-ledger entry takes (targets/app/seed-command.ts). */
export function seedCommand(appEntry: readonly string[], events: number): string[] {
  return [...appEntry, SEED_JOB_NAME, String(events)];
}

/** Generous: the seed appends ~200k events/s, and a loaded machine may be several times slower. */
export function seedTimeoutMs(events: number): number {
  return 30_000 + Math.ceil(events / 20);
}

export async function runSeedJob(
  runtime: ContainerRuntime,
  spec: ContainerSpec,
  events: number,
  signal: AbortSignal | undefined,
): Promise<{ result: SeedResult; log: LogLine[] }> {
  const began = Date.now();
  const id = await runtime.createContainer(spec);
  try {
    await runtime.startContainer(id);
    const timeoutMs = seedTimeoutMs(events);
    const exitCode = await waitUntil(
      async () => {
        const info = await runtime.inspectContainer(id);
        return info.state === 'exited' || info.state === 'dead' ? (info.exitCode ?? -1) : undefined;
      },
      { timeoutMs, intervalMs: 100, ...(signal === undefined ? {} : { signal }) },
    );
    const log = await runtime.containerLogs(id).catch((): LogLine[] => []);
    const tail = log
      .slice(-10)
      .map((line) => `  ${line.text}`)
      .join('\n');
    if (exitCode === undefined) {
      throw new HarnessError('E_SEED', `Seeding ${events} ledger events did not finish within ${timeoutMs / 1000} s. Last lines of its log:\n${tail}`);
    }
    if (exitCode !== 0) throw new HarnessError('E_SEED', `Seeding ${events} ledger events failed (exit code ${exitCode}). Last lines of its log:\n${tail}`);
    const done = seedDone(log);
    if (done === undefined) throw new HarnessError('E_SEED', `The seed exited 0 but logged no seed_done line. Its log:\n${tail}`);
    return { result: { ...done, wallMs: Date.now() - began }, log };
  } finally {
    await runtime.removeContainer(id).catch(() => undefined);
  }
}

/** The figures of the app's `seed_done` log line. */
function seedDone(log: readonly LogLine[]): Omit<SeedResult, 'wallMs'> | undefined {
  for (const line of log) {
    if (!line.text.includes('"seed_done"')) continue;
    try {
      const record = JSON.parse(line.text) as Record<string, unknown>;
      if (typeof record.events === 'number' && typeof record.durationMs === 'number') return { events: record.events, durationMs: record.durationMs };
    } catch {
      // Not the app's JSON: keep looking.
    }
  }
  return undefined;
}
