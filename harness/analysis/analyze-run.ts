import path from 'node:path';
import { readdir, stat } from 'node:fs/promises';
import { runFiles, trialFiles } from '../core/run-layout.ts';
import { TRIAL_INPUT_FILES, analyzeTrial } from './analyze-trial.ts';
import { compareTrials } from './figures/comparison.ts';
import { GLOSSARY } from './glossary.ts';
import { AnalysisInputError, readRunManifest, type RunManifest } from './inputs.ts';
import { RESULTS_SCHEMA_VERSION, ResultsSchema, type Results, type TrialResult } from './results-schema.ts';

export interface AnalyzeRunOptions {
  /** The clock for meta.generatedAt (tests pin it). */
  now?: () => Date;
}

/**
 * results.json for a run directory: every trial the manifest lists (or, without a manifest, every
 * directory under trials/), analysed one after the other, then compared. The result is checked
 * against the schema before it is returned.
 */
export async function analyzeRun(runDir: string, options: AnalyzeRunOptions = {}): Promise<Results> {
  const files = runFiles(runDir);
  const manifest = await readRunManifest(files.manifest);
  const trialDirs =
    manifest?.trials !== undefined ? trialDirsFromManifest(runDir, manifest) : await trialDirsOnDisk(files.trialsDir);
  if (trialDirs.length === 0) throw new AnalysisInputError(files.trialsDir, 'no trial to analyse');

  const trials: TrialResult[] = [];
  for (const dir of trialDirs) trials.push(await analyzeTrial(dir));

  const inputs: Array<{ path: string; bytes: number }> = [];
  if (manifest !== undefined) inputs.push(await describeInput(runDir, files.manifest));
  // Only the files that exist: events and LB states are absent from a trial without faults.
  for (const dir of trialDirs) {
    for (const name of TRIAL_INPUT_FILES) {
      const input = await describeInput(runDir, path.join(dir, name));
      if (input.bytes >= 0) inputs.push(input);
    }
  }
  const results: Results = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    meta: {
      runId: manifest?.runId ?? path.basename(path.resolve(runDir)),
      generatedAt: (options.now?.() ?? new Date()).toISOString(),
      generator: 'harness/analysis',
      inputs,
    },
    glossary: [...GLOSSARY],
    trials,
    comparison: compareTrials(trials),
  };
  return ResultsSchema.parse(results);
}

function trialDirsFromManifest(runDir: string, manifest: RunManifest): string[] {
  return (manifest.trials ?? []).map((entry) => {
    if (typeof entry === 'string') return trialFiles(runDir, entry).dir;
    return entry.dir !== undefined ? path.resolve(runDir, entry.dir) : trialFiles(runDir, entry.name ?? entry.architecture).dir;
  });
}

async function trialDirsOnDisk(trialsDir: string): Promise<string[]> {
  try {
    const entries = await readdir(trialsDir, { withFileTypes: true });
    return entries
      .filter((entry) => entry.isDirectory())
      .map((entry) => path.join(trialsDir, entry.name))
      .sort();
  } catch (error) {
    throw new AnalysisInputError(trialsDir, 'missing: not a run directory', error);
  }
}

/** Size of an input file and its path relative to the run directory; bytes = -1 when absent. */
async function describeInput(runDir: string, file: string): Promise<{ path: string; bytes: number }> {
  const relative = path.relative(runDir, file).split(path.sep).join('/');
  try {
    return { path: relative, bytes: (await stat(file)).size };
  } catch {
    return { path: relative, bytes: -1 };
  }
}
