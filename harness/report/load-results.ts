import { stat } from 'node:fs/promises';
import { analyzeRun, readResults, readResultsIfPresent, writeResults, type Results } from '../analysis/index.ts';
import { HarnessError } from '../core/errors.ts';

/**
 * How a command gets results.json: "always" re-analyses the raw files (harness report, harness run);
 * "if-missing" reads results.json and analyses only when there is none (harness gate); "never" only
 * reads it.
 */
export type AnalysisMode = 'always' | 'if-missing' | 'never';

export interface ObtainResultsOptions {
  analysis: AnalysisMode;
  /** Write a freshly analysed results.json into the run directory (false for read-only commands). */
  write: boolean;
  now?: () => Date;
}

/** Fails with a clear message when the path is not a directory at all. */
export async function assertRunDir(runDir: string): Promise<void> {
  let isDirectory = false;
  try {
    isDirectory = (await stat(runDir)).isDirectory();
  } catch {
    isDirectory = false;
  }
  if (!isDirectory) {
    throw new HarnessError('E_RUN_DIR', `${runDir}: no such run directory`, {
      hint: 'Name a directory under reports/ that `harness run` wrote, e.g. reports/r20261128-214405-6072.',
      exitCode: 2,
    });
  }
}

/** results.json as the mode asks: read, or analysed from the raw files (and written when asked). */
export async function obtainResults(runDir: string, options: ObtainResultsOptions): Promise<{ results: Results; analysed: boolean }> {
  await assertRunDir(runDir);
  if (options.analysis === 'never') return { results: await readResults(runDir), analysed: false };
  if (options.analysis === 'if-missing') {
    const existing = await readResultsIfPresent(runDir);
    if (existing !== undefined) return { results: existing, analysed: false };
  }
  const results = await analyzeRun(runDir, options.now === undefined ? {} : { now: options.now });
  if (options.write) await writeResults(runDir, results);
  return { results, analysed: true };
}
