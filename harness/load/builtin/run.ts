/**
 * One run of the built-in engine, in k6's order: compile (reject what cannot run faithfully), init
 * a first VU to read the options, resolve scenarios, init the VUs, setup(), the scenarios, teardown(),
 * then thresholds, the summary (handleSummary or k6's text), and k6's exit code.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { type LoadRunOptions, type LoadRunResult, type MetricDefinition, type MetricSink, type Sample } from '../contract.ts';
import type { LoadGeneratorStats } from '../load-generator-stats.ts';
import { K6Output } from '../metrics/k6-output.ts';
import { defaultStdoutSummary } from '../metrics/text-summary.ts';
import { K6ConfigError } from '../metrics/errors.ts';
import { compileScript } from './transform/loader.ts';
import { RunContext } from './runtime/context.ts';
import { createLogger } from './runtime/logger.ts';
import { now } from './runtime/clock.ts';
import { startSelfMonitor, type SelfMonitor } from './runtime/self-monitor.ts';
import { saturationWarning } from './runtime/saturation.ts';
import { Vu, type ScenarioRun } from './runtime/vu.ts';
import { initFailure, lifecycleFailure, logSummaryFailure, type LifecycleFailure } from './runtime/script-errors.ts';
import { resolveOptions, plannedMaxVus, type ScriptOptions } from './options.ts';
import { VuPool, sleepUntil, type ExecutorEnv, type RunStats, type ScenarioProgress } from './executors/common.ts';
import { runExecutor } from './executors/registry.ts';
import { formatProgress } from './progress.ts';
import { endDeadline, scenariosDeadline, setupDeadline, teardownDeadline, type PhaseDeadline } from './phase-deadlines.ts';

export const BUILTIN_VERSION = 'builtin-0.1.0 (k6 v0.49.0 compatible)';

/** k6's exit codes (errext/exitcodes). */
const EXIT = { ok: 0, thresholds: 99, setupTimeout: 100, teardownTimeout: 101, externalAbort: 105, scriptException: 107, scriptAborted: 108 } as const;

/** Forwards to the real output once the options are known; custom metrics defined earlier are replayed. */
class DeferredSink implements MetricSink {
  private readonly defined: MetricDefinition[] = [];
  private target: MetricSink | undefined;
  define(definition: MetricDefinition): void {
    this.defined.push(definition);
    this.target?.define(definition);
  }
  add(sample: Sample): void {
    this.target?.add(sample);
  }
  attach(target: MetricSink): void {
    this.target = target;
    for (const d of this.defined) target.define(d);
  }
}

const PLACEHOLDER_OPTIONS: ScriptOptions = {
  tags: {},
  thresholds: undefined,
  maxRedirects: undefined,
  discardResponseBodies: false,
  noCookiesReset: false,
  userAgent: undefined,
  setupTimeoutMs: 60_000,
  teardownTimeoutMs: 60_000,
  summaryTrendStats: undefined,
  summaryTimeUnit: undefined,
  scenarios: [],
  raw: {},
};

function jsonCopy(value: unknown): unknown {
  if (value === undefined) return undefined;
  return JSON.parse(JSON.stringify(value)) as unknown;
}

export interface RunHooks {
  /** A phase starts and must end by the deadline; the engine's process passes it to the harness, which enforces it. */
  onPhase?: (deadline: PhaseDeadline) => void;
}

export async function runBuiltin(options: LoadRunOptions, hooks: RunHooks = {}): Promise<LoadRunResult> {
  const cwd = options.cwd ?? process.cwd();
  const stderr = options.stderr ?? process.stderr;
  const stdout = options.stdout ?? process.stdout;
  const script = compileScript(options.script, cwd);

  const sink = new DeferredSink();
  let testStart = now();
  const logger = createLogger(stderr, () => now() - testStart);
  const ctx = new RunContext(sink, PLACEHOLDER_OPTIONS, { ...options.env }, path.dirname(script.entry), logger);

  // The first VU (id 0) reads the options and later runs setup, teardown and handleSummary.
  const mainVu = new Vu(0, ctx);
  try {
    await mainVu.init(script);
  } catch (error) {
    await mainVu.close();
    // k6 exits with 107 (script exception) when the init code throws, not with 104 (invalid options).
    throw initFailure(mainVu, error);
  }
  let scriptOptions: ScriptOptions;
  try {
    scriptOptions = resolveOptions(mainVu.exports['options'], { vus: options.vus, duration: options.duration, iterations: options.iterations }, (m) => logger.log('warn', m));
    for (const s of scriptOptions.scenarios) {
      if (typeof mainVu.exports[s.exec] !== 'function') throw new K6ConfigError(`executor ${s.name}: function '${s.exec}' not found in exports`);
    }
  } catch (error) {
    await mainVu.close();
    throw error;
  }
  ctx.options = scriptOptions;
  const output = new K6Output({ ndjsonPath: options.ndjsonPath ? path.resolve(cwd, options.ndjsonPath) : undefined, summaryTrendStats: scriptOptions.summaryTrendStats });
  sink.attach(output);
  try {
    output.configureThresholds({ thresholds: scriptOptions.thresholds });
  } catch (error) {
    await output.abandon();
    await mainVu.close();
    throw error;
  }

  const stats: RunStats = { completed: 0, interrupted: 0, active: 0 };
  const vus: Vu[] = [mainVu];
  const pool = new VuPool(async (id) => {
    const vu = new Vu(id, ctx);
    vus.push(vu);
    try {
      await vu.init(script);
    } catch (error) {
      throw initFailure(vu, error);
    }
    return vu;
  });
  ctx.instance = {
    vusActive: () => stats.active,
    vusInitialized: () => pool.initialized,
    iterationsCompleted: () => stats.completed,
    iterationsInterrupted: () => stats.interrupted,
    options: () => scriptOptions.raw,
  };
  let exitCode: number = EXIT.ok;
  /** An exception or timeout in setup()/teardown(): k6 reports it as the run's error, at the end. */
  let lifecycleError: LifecycleFailure | undefined;
  let setupData: unknown;
  let setupJson: string | undefined;
  const dataCache = new WeakMap<Vu, unknown>();
  const dataFor = (vu: Vu): unknown => {
    if (setupJson === undefined) return undefined;
    if (!dataCache.has(vu)) dataCache.set(vu, JSON.parse(setupJson) as unknown);
    return dataCache.get(vu);
  };

  const onCancel = (): void => ctx.requestAbort({ reason: 'test run was aborted', exitCode: EXIT.externalAbort });
  options.signal?.addEventListener('abort', onCancel, { once: true });
  if (options.signal?.aborted) onCancel();

  const progressList: Array<{ name: string; progress: ScenarioProgress }> = scriptOptions.scenarios.map((s) => ({
    name: s.name,
    progress: { state: 'waiting', fraction: 0, detail: '' },
  }));
  let sampler: NodeJS.Timeout | undefined;
  // The engine watches itself from the test's start to the end of the scenarios: VU init before and
  // teardown, thresholds and the summary after are its own work, not load the target sees.
  let monitor: SelfMonitor | undefined;
  let loadGenerator: LoadGeneratorStats | undefined;
  try {
    await pool.fill(plannedMaxVus(scriptOptions.scenarios));
    testStart = now();
    ctx.startTime = testStart;
    monitor = startSelfMonitor();
    output.startThresholdTimer({
      elapsedMs: () => now() - testStart,
      onAbort: (breached) => ctx.requestAbort({ reason: `thresholds on metrics '${breached.join(', ')}' were breached; at least one has abortOnFail enabled, stopping test prematurely`, exitCode: EXIT.thresholds }),
    });
    const sampleVus = (): void => {
      ctx.emit('vus', stats.active, {});
      ctx.emit('vus_max', pool.initialized, {});
    };
    let lastProgress = 0;
    // This interval also keeps the process alive while executors wait on unref'd timers.
    sampler = setInterval(() => {
      const t = now();
      if (t - lastProgress >= 990) {
        lastProgress = t;
        sampleVus();
        options.onProgress?.(formatProgress({ elapsedMs: t - testStart, activeVus: stats.active, maxVus: pool.initialized, completed: stats.completed, interrupted: stats.interrupted, scenarios: progressList }));
      }
    }, 100);

    // setup()
    if (!ctx.abort) {
      hooks.onPhase?.(setupDeadline(scriptOptions.setupTimeoutMs));
      const setup = await mainVu.runLifecycle('setup', undefined, scriptOptions.setupTimeoutMs);
      if (setup.kind === 'returned') {
        setupData = setup.value;
        setupJson = setupData === undefined ? undefined : JSON.stringify(setupData);
      } else {
        lifecycleError = lifecycleFailure(mainVu, 'setup', setup);
        exitCode = lifecycleError.exitCode;
        ctx.requestAbort({ reason: 'setup failed', exitCode });
      }
    }

    // The scenarios, each from its startTime.
    if (!ctx.abort) {
      const scenarioStart = now();
      hooks.onPhase?.(scenariosDeadline(scriptOptions.scenarios));
      await Promise.all(
        scriptOptions.scenarios.map(async (config, i) => {
          const progress = progressList[i]!.progress;
          await sleepUntil(scenarioStart + config.startTimeMs, ctx);
          if (ctx.abort) {
            progress.state = 'done';
            return;
          }
          progress.state = 'running';
          const scenario: ScenarioRun = {
            name: config.name,
            executor: config.executor,
            exec: config.exec,
            startTime: now(),
            tags: config.tags,
            env: config.env,
            nextIterationInTest: 0,
            progress: () => progress.fraction,
          };
          const env: ExecutorEnv = { config, scenario, pool, ctx, stats, dataFor, progress };
          await runExecutor(env);
          progress.state = 'done';
        }),
      );
    }
    loadGenerator = monitor.stop();
    if (loadGenerator.saturated) logger.log('warn', saturationWarning(loadGenerator));

    // teardown(data) runs even after an abort, as in k6 (not after a failed setup).
    if (exitCode !== EXIT.scriptException && exitCode !== EXIT.setupTimeout) {
      hooks.onPhase?.(teardownDeadline(scriptOptions.teardownTimeoutMs));
      const teardown = await mainVu.runLifecycle('teardown', jsonCopy(setupData), scriptOptions.teardownTimeoutMs);
      if (teardown.kind !== 'returned') {
        lifecycleError = lifecycleFailure(mainVu, 'teardown', teardown);
        exitCode = lifecycleError.exitCode;
      }
    }
  } finally {
    monitor?.stop();
    clearInterval(sampler);
    options.signal?.removeEventListener('abort', onCancel);
  }
  const testRunDurationMs = now() - testStart;
  options.onProgress?.(formatProgress({ elapsedMs: testRunDurationMs, activeVus: 0, maxVus: pool.initialized, completed: stats.completed, interrupted: stats.interrupted, scenarios: progressList }));

  hooks.onPhase?.(endDeadline());
  const finished = await output.finish({
    testRunDurationMs,
    summaryExportPath: options.summaryExportPath ? path.resolve(cwd, options.summaryExportPath) : undefined,
    setupData: setupData === undefined ? undefined : jsonCopy(setupData),
    summaryTimeUnit: scriptOptions.summaryTimeUnit,
  });
  await writeSummary(mainVu, finished.summary, cwd, stdout, stderr);
  await Promise.all(vus.map((vu) => vu.close()));
  if (options.loadGeneratorStatsPath && loadGenerator) writeJson(path.resolve(cwd, options.loadGeneratorStatsPath), loadGenerator);

  if (exitCode === EXIT.ok) {
    if (ctx.abort) exitCode = ctx.abort.exitCode;
    else if (finished.thresholdsFailed) exitCode = EXIT.thresholds;
  }
  if (lifecycleError) logger.log('error', lifecycleError.message, lifecycleError.fields);
  else if (ctx.abort && ctx.abort.exitCode !== EXIT.thresholds) logger.log('error', ctx.abort.reason);
  else if (finished.thresholdsFailed) logger.log('error', `thresholds on metrics '${finished.breached.join(', ')}' have been crossed`);
  return {
    engine: 'builtin',
    engineVersion: BUILTIN_VERSION,
    exitCode,
    ndjsonPath: output.ndjsonPath,
    summaryExportPath: options.summaryExportPath ? path.resolve(cwd, options.summaryExportPath) : undefined,
    summary: finished.summary,
    loadGenerator,
  };
}

function writeJson(target: string, value: unknown): void {
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, `${JSON.stringify(value, null, 2)}\n`);
}

/** handleSummary(data) when the script exports it (files relative to cwd, `stdout`, `stderr`), else k6's text summary. */
async function writeSummary(vu: Vu, summary: unknown, cwd: string, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Promise<void> {
  const handle = vu.exports['handleSummary'];
  if (typeof handle !== 'function') {
    stdout.write(defaultStdoutSummary(summary as Parameters<typeof defaultStdoutSummary>[0], false));
    return;
  }
  vu.phase = 'summary';
  let result: unknown;
  try {
    result = await (handle as (d: unknown) => unknown)(jsonCopy(summary));
  } catch (error) {
    logSummaryFailure(vu, error);
    stdout.write(defaultStdoutSummary(summary as Parameters<typeof defaultStdoutSummary>[0], false));
    return;
  }
  if (!result || typeof result !== 'object') return;
  for (const [name, content] of Object.entries(result as Record<string, unknown>)) {
    const data = content instanceof ArrayBuffer ? Buffer.from(content) : String(content);
    if (name === 'stdout') stdout.write(data);
    else if (name === 'stderr') stderr.write(data);
    else {
      const target = path.resolve(cwd, name);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, data);
    }
  }
}
