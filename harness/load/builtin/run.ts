/**
 * One run of the built-in engine, in k6's order: prepare (compile the script, read its options
 * through a first VU, open the output), initialise the VUs, start the test's clock, setup(), the
 * scenarios, teardown(), then the outputs (thresholds, NDJSON, summary export, handleSummary or
 * k6's text summary) and k6's exit code. Each phase first tells `hooks.onPhase` by when it must end.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { K6_EXIT, type LoadRunOptions, type LoadRunResult } from '../contract.ts';
import type { LoadStart } from '../load-events.ts';
import type { LoadGeneratorStats } from '../load-generator-stats.ts';
import { writeSummary } from './handle-summary.ts';
import { endDeadline, scenariosDeadline, setupDeadline, teardownDeadline, type PhaseDeadline } from './phase-deadlines.ts';
import { prepareRun, type PreparedRun } from './prepare-run.ts';
import { runEnding } from './run-ending.ts';
import { now } from './runtime/clock.ts';
import { saturationWarning } from './runtime/saturation.ts';
import type { LifecycleFailure } from './runtime/script-errors.ts';
import { startSelfMonitor, type SelfMonitor } from './runtime/self-monitor.ts';
import { NO_SETUP_DATA, SetupData } from './setup-data.ts';
import { TestRun } from './test-run.ts';
import { startTicker } from './ticker.ts';

export const BUILTIN_VERSION = 'builtin-0.1.0 (k6 v0.49.0 compatible)';

export interface RunHooks {
  /** A phase starts and must end by the deadline; the engine's process passes it to the harness, which enforces it. */
  onPhase?: (deadline: PhaseDeadline) => void;
}

export async function runBuiltin(options: LoadRunOptions, hooks: RunHooks = {}): Promise<LoadRunResult> {
  const cwd = options.cwd ?? process.cwd();
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const run = await prepareRun(options, cwd, stderr);
  const test = new TestRun(run);
  const ended = await runTest(run, test, options, hooks);
  options.onProgress?.(test.progressLine(ended.durationMs, 0));

  hooks.onPhase?.(endDeadline());
  const summaryExportPath = options.summaryExportPath ? path.resolve(cwd, options.summaryExportPath) : undefined;
  const finished = await run.output.finish({
    testRunDurationMs: ended.durationMs,
    summaryExportPath,
    setupData: ended.setup.copy(),
    summaryTimeUnit: run.options.summaryTimeUnit,
  });
  await writeSummary(run.mainVu, finished.summary, cwd, stdout, stderr);
  await test.close();
  if (options.loadGeneratorStatsPath && ended.loadGenerator) writeJson(path.resolve(cwd, options.loadGeneratorStatsPath), ended.loadGenerator);

  reportRequests(run, options);
  const ending = runEnding(ended.lifecycleError, run.ctx.abort, finished.breached);
  if (ending.error) run.logger.log('error', ending.error.message, ending.error.fields);
  return {
    engine: 'builtin',
    engineVersion: BUILTIN_VERSION,
    exitCode: ending.exitCode,
    ndjsonPath: run.output.ndjsonPath,
    summaryExportPath,
    summary: finished.summary,
    loadGenerator: ended.loadGenerator,
    start: ended.start,
  };
}

interface TestEnded {
  /** setup()'s data; none when there was no setup(), or it failed or never ran. */
  setup: SetupData;
  /** setup()'s or teardown()'s failure: k6 reports it as the run's error, at the end. */
  lifecycleError: LifecycleFailure | undefined;
  /** The engine's figures about itself over the scenarios; none when the test stopped before them. */
  loadGenerator: LoadGeneratorStats | undefined;
  /** From the test's start (after VU init) to the end of teardown(). */
  durationMs: number;
  start: LoadStart;
}

/** The VUs initialised, then the test: setup(), the scenarios, teardown(), with the clock, the samplers and the cancel. */
async function runTest(run: PreparedRun, test: TestRun, options: LoadRunOptions, hooks: RunHooks): Promise<TestEnded> {
  const { ctx, logger, output } = run;
  const onCancel = (): void => ctx.requestAbort({ reason: 'test run was aborted', exitCode: K6_EXIT.externalAbort });
  options.signal?.addEventListener('abort', onCancel, { once: true });
  if (options.signal?.aborted) onCancel();
  let setup = NO_SETUP_DATA;
  let lifecycleError: LifecycleFailure | undefined;
  let loadGenerator: LoadGeneratorStats | undefined;
  // The engine watches itself from the test's start to the end of the scenarios: VU init before and
  // teardown, thresholds and the summary after are its own work, not load the target sees.
  let monitor: SelfMonitor | undefined;
  let stopTicker = (): void => undefined;
  try {
    await test.initVus();
    ctx.startTime = now();
    options.onEvent?.({ type: 'started', start: { at: ctx.startTime, source: 'engine' } });
    monitor = startSelfMonitor(ctx.startTime);
    output.startThresholdTimer({
      elapsedMs: () => ctx.elapsed(),
      onAbort: (breached) =>
        ctx.requestAbort({
          reason: `thresholds on metrics '${breached.join(', ')}' were breached; at least one has abortOnFail enabled, stopping test prematurely`,
          exitCode: K6_EXIT.thresholdsHaveFailed,
        }),
    });
    stopTicker = startTicker(
      (time) => {
        ctx.emit('vus', test.stats.active, {});
        ctx.emit('vus_max', test.pool.initialized, {});
        options.onProgress?.(test.progressLine(time - ctx.startTime));
      },
      () => reportRequests(run, options),
    );

    if (!ctx.abort) {
      hooks.onPhase?.(setupDeadline(run.options.setupTimeoutMs));
      const outcome = await test.setup();
      if (outcome instanceof SetupData) setup = outcome;
      else lifecycleError = outcome;
    }
    if (!ctx.abort) {
      hooks.onPhase?.(scenariosDeadline(run.options.scenarios));
      await test.scenarios(setup);
    }
    loadGenerator = monitor.stop();
    if (loadGenerator.saturated) logger.log('warn', saturationWarning(loadGenerator));

    // teardown(data) runs even after an abort, as in k6; not after a failed setup().
    if (lifecycleError === undefined) {
      hooks.onPhase?.(teardownDeadline(run.options.teardownTimeoutMs));
      lifecycleError = await test.teardown(setup);
    }
  } finally {
    monitor?.stop();
    stopTicker();
    options.signal?.removeEventListener('abort', onCancel);
  }
  return { setup, lifecycleError, loadGenerator, durationMs: now() - ctx.startTime, start: { at: ctx.startTime, source: 'engine' } };
}

/** The requests counted since the last report, to the caller's events. */
function reportRequests(run: PreparedRun, options: LoadRunOptions): void {
  const counts = run.requests?.counts.take() ?? [];
  if (counts.length > 0) options.onEvent?.({ type: 'requests', counts });
}

function writeJson(target: string, value: unknown): void {
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, `${JSON.stringify(value, null, 2)}\n`);
}
