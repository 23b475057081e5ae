import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ContainerRuntime } from '../docker/runtime.ts';
import { HarnessError, isHarnessError } from '../core/errors.ts';
import { REPO_ROOT } from '../core/paths.ts';
import {
  manifestFile,
  runDir as runDirOf,
  runFiles,
  trialDirInRun,
  trialFiles,
  type RunStatus,
  type TrialRecord,
  type WrittenRunManifest,
} from '../core/run-files/index.ts';
import { ensureImages } from '../images/ensure-images.ts';
import { selectEngine } from '../load/engine.ts';
import { bundleScript } from '../load/script-bundle.ts';
import type { RunPlan } from '../plan/run-plan.ts';
import type { ProgressReporter } from './progress.ts';
import { runTrial } from './run-trial.ts';

export interface RunOptions {
  reportsDir: string;
  runtime: ContainerRuntime;
  progress: ProgressReporter;
  signal: AbortSignal;
}

export interface RunOutcome {
  runId: string;
  dir: string;
  status: RunStatus;
  trials: TrialRecord[];
  error?: unknown;
}

/**
 * Runs every trial of the plan one after the other (never two clusters at once on one machine),
 * keeping the manifest up to date so an interrupted or failed run still says what it did.
 */
export async function executeRun(plan: RunPlan, options: RunOptions): Promise<RunOutcome> {
  const dir = runDirOf(options.reportsDir, plan.runId);
  const files = runFiles(dir);
  await mkdir(files.trialsDir, { recursive: true });
  const tools = { harness: await harnessVersion(), node: process.version, docker: null as string | null, platform: `${process.platform}-${process.arch}` };
  const manifest: WrittenRunManifest = {
    schemaVersion: 2,
    runId: plan.runId,
    name: plan.name,
    source: plan.source,
    seed: plan.seed,
    status: 'running',
    startedAt: new Date().toISOString(),
    endedAt: null,
    engine: null,
    images: null,
    tools,
    scenario: plan.scenario,
    trials: plan.trials.map((t) => ({ name: t.name, architecture: t.architecture, dir: trialDirInRun(t.name), status: 'pending' })),
  };
  const save = (): Promise<void> => manifestFile.write(files.manifest, manifest);
  await save();
  options.progress.runStarted?.({ runId: plan.runId, dir, trials: plan.trials.map((t) => t.name) });

  const trials: TrialRecord[] = [];
  let failure: unknown;
  try {
    tools.docker = await options.runtime.version();
    const choice = plan.trials[0]?.load.engine ?? 'auto';
    // Resolved once, here, for the manifest and every trial (a relative K6_BIN against the user's directory).
    const engine = await selectEngine(choice);
    manifest.engine = { choice, name: engine.name, version: await engine.version() };
    options.progress.step?.(undefined, `engine: ${engine.name} ${manifest.engine.version}`);
    // Every script is bundled before any container starts: a script that cannot run fails here,
    // naming its file and line, and the trial directory records what k6 is given.
    for (const trial of plan.trials) await bundleScript(trial.load.script, trialFiles(dir, trial.name).scriptBundle);
    options.progress.step?.(undefined, 'images: checking (built on first use)');
    const images = await ensureImages(options.runtime, (line) => options.progress.step?.(undefined, `  ${line}`));
    manifest.images = {
      base: images.base,
      app: images.app,
      baseId: (await options.runtime.findImage(images.base))?.id ?? null,
      appId: (await options.runtime.findImage(images.app))?.id ?? null,
    };
    await save();
    for (const [i, trial] of plan.trials.entries()) {
      options.signal.throwIfAborted();
      const entry = manifest.trials[i]!;
      entry.status = 'running';
      await save();
      try {
        const record = await runTrial(trial, {
          runDir: dir,
          runtime: options.runtime,
          images,
          engine,
          seed: plan.seed,
          trialNumber: i + 1,
          trials: plan.trials.length,
          progress: options.progress,
          signal: options.signal,
        });
        trials.push(record);
        entry.status = record.status;
        if (record.status === 'failed') throw new TrialFailedError(trial.name, record.error ?? 'failed', record.hint);
      } catch (error) {
        entry.status = options.signal.aborted ? 'interrupted' : 'failed';
        throw error instanceof TrialFailedError ? error : new TrialFailedError(trial.name, messageOf(error), undefined, error);
      } finally {
        await save();
      }
      if (options.signal.aborted) break;
    }
  } catch (error) {
    failure = error;
    manifest.error = messageOf(error);
  }
  // A run stops at its first failed trial: the ones after it were not run, and say so.
  for (const entry of manifest.trials) if (entry.status === 'pending') entry.status = 'skipped';
  const status: RunStatus = options.signal.aborted ? 'interrupted' : failure !== undefined ? 'failed' : 'completed';
  manifest.status = status;
  manifest.endedAt = new Date().toISOString();
  await save();
  options.progress.runEnded?.({ runId: plan.runId, dir, status });
  return { runId: plan.runId, dir, status, trials, ...(failure !== undefined ? { error: failure } : {}) };
}

/** A trial that did not measure what it claims: the run fails (exit 2), naming the trial. */
export class TrialFailedError extends HarnessError {
  constructor(
    readonly trial: string,
    message: string,
    hint: string | undefined,
    cause?: unknown,
  ) {
    super('E_TRIAL_FAILED', `trial ${trial} failed: ${message}`, {
      hint: hint ?? (isHarnessError(cause) ? cause.hint : undefined) ?? `see the trial directory trials/${trial}/`,
      exitCode: 2,
      cause,
    });
    this.name = 'TrialFailedError';
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function harnessVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}
