import path from 'node:path';
import { readdir, stat } from 'node:fs/promises';
import { manifestFile, RunFileError, runFiles, TRIAL_FILES_KIND, trialRecordFile, type RunManifest } from '../core/run-files/index.ts';
import { TRIAL_FILES, TRIAL_INPUT_FILES, analyzeTrial } from './analyze-trial.ts';
import { compareTrials } from './figures/comparison.ts';
import { GLOSSARY } from './glossary.ts';
import { RESULTS_SCHEMA_VERSION, ResultsSchema, type Results, type TrialResult, type UnmeasuredTrial } from './results-schema.ts';

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
  const manifest = await manifestFile.readIfPresent(files.manifest);
  // A manifest that lists no trial (one another tool wrote) leaves them to be found on disk.
  const planned = manifest !== undefined && manifest.trials.length > 0 ? trialsFromManifest(runDir, manifest) : await trialsOnDisk(files.trialsDir);
  if (planned.length === 0) throw new RunFileError(files.trialsDir, 'no trial to analyse', TRIAL_FILES_KIND);

  const trials: TrialResult[] = [];
  const unmeasured: UnmeasuredTrial[] = [];
  const measuredDirs: string[] = [];
  const failedTrial = planned.find((entry) => entry.status === 'failed')?.name;
  const notRun = failedTrial !== undefined ? `not run: the run stopped after trial ${failedTrial} failed` : manifest?.error != null ? `not run: the run failed before it: ${manifest.error}` : 'not run';
  for (const entry of planned) {
    const missing = await withoutFigures(entry, notRun);
    if (missing !== undefined) unmeasured.push(missing);
    else {
      trials.push(await analyzeTrial(entry.dir));
      measuredDirs.push(entry.dir);
    }
  }

  const inputs: Array<{ path: string; bytes: number }> = [];
  if (manifest !== undefined) inputs.push(await describeInput(runDir, files.manifest));
  // Only the files that exist: events and LB states are absent from a trial without faults.
  for (const dir of measuredDirs) {
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
    unmeasured,
    comparison: compareTrials(trials),
  };
  return ResultsSchema.parse(results);
}

interface PlannedTrial {
  dir: string;
  name: string;
  architecture: string | undefined;
  /** The manifest's status for it, when there is a manifest. */
  status: string | undefined;
}

function trialsFromManifest(runDir: string, manifest: RunManifest): PlannedTrial[] {
  return manifest.trials.map((entry) => ({ dir: path.resolve(runDir, entry.dir), name: entry.name, architecture: entry.architecture, status: entry.status ?? undefined }));
}

async function trialsOnDisk(trialsDir: string): Promise<PlannedTrial[]> {
  try {
    const entries = await readdir(trialsDir, { withFileTypes: true });
    return entries
      .filter((entry) => entry.isDirectory())
      .map((entry) => ({ dir: path.join(trialsDir, entry.name), name: entry.name, architecture: undefined, status: undefined }))
      .sort((a, b) => a.dir.localeCompare(b.dir));
  } catch (error) {
    throw new RunFileError(trialsDir, 'missing: not a run directory', TRIAL_FILES_KIND, { cause: error });
  }
}

/**
 * A planned trial that has no figures at all, and why: it was never run (no trial.json), or it
 * failed or was stopped before its load started (no t0, or no load file). undefined: analyse it. A
 * trial that says it completed but lacks its load file is not excused here: the analysis fails on it.
 */
async function withoutFigures(entry: PlannedTrial, notRun: string): Promise<UnmeasuredTrial | undefined> {
  const outcome = await trialRecordFile.readIfPresent(path.join(entry.dir, TRIAL_FILES.trial));
  const architecture = outcome?.architecture ?? entry.architecture ?? entry.name;
  const base = { name: entry.name, architecture };
  if (outcome === undefined) {
    if (entry.status === 'failed' || entry.status === 'interrupted') return { ...base, status: entry.status, reason: `the trial ${entry.status} before it wrote anything` };
    return { ...base, status: 'skipped', reason: notRun };
  }
  const started = outcome.t0 !== undefined && outcome.t0 !== null && (await exists(path.join(entry.dir, TRIAL_FILES.load)));
  if (started || outcome.status === 'completed') return undefined;
  const status = outcome.status === 'interrupted' ? 'interrupted' : 'failed';
  const reason = outcome.error ?? (outcome.status === 'running' ? 'the harness stopped before the load started' : 'the load never started');
  return { ...base, status, reason };
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
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
