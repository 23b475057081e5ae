import { readFile } from 'node:fs/promises';
import type { T0Source } from '../core/run-files/index.ts';

export interface LoadStart {
  t0: number;
  source: T0Source;
}

/**
 * When the load began — t = 0 of every figure (glossary: "the engine's own start") — known once the
 * load has ended:
 *   - the built-in engine records its own test start (after VU init, before setup) as `startedAt`
 *     in load-generator.json;
 *   - k6 writes nothing that marks its start: its vus/vus_max gauges tick every second from the
 *     start of VU initialisation (execution/scheduler.go, emitVUsAndVUsMax), not from the test's
 *     start, and its run duration (state.testRunDurationMs) goes only to handleSummary(), not to
 *     --summary-export. The earliest start the load file records — an iteration's or a request's,
 *     its time minus its duration (`fromLoadFile`, from LiveLoad) — is the closest it tells.
 * undefined when neither is known (the load never ran).
 */
export async function loadStart(loadGeneratorFile: string, fromLoadFile: number | undefined): Promise<LoadStart | undefined> {
  const engineStart = await engineStartedAt(loadGeneratorFile);
  if (engineStart !== undefined) return { t0: engineStart, source: 'engine-start' };
  return fromLoadFile === undefined ? undefined : { t0: fromLoadFile, source: 'load-file' };
}

async function engineStartedAt(file: string): Promise<number | undefined> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    // No file (k6, or an engine that died before writing it) or a damaged one: the load file tells.
    return undefined;
  }
  const startedAt = typeof json === 'object' && json !== null && 'startedAt' in json ? json.startedAt : undefined;
  const time = typeof startedAt === 'string' ? Date.parse(startedAt) : Number.NaN;
  return Number.isFinite(time) ? time : undefined;
}
