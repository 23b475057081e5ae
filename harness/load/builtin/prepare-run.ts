/**
 * The run before its test: the script compiled (what cannot run faithfully is refused here), the
 * first VU's init code run to read the options, the options resolved with the CLI's overrides, and
 * the output that writes k6's formats opened with the script's thresholds. Each failure undoes what
 * was made and is k6's: 107 for an exception in init code, 104 for bad options.
 */
import path from 'node:path';
import type { LoadRunOptions } from '../contract.ts';
import { K6ConfigError } from '../metrics/errors.ts';
import { K6Output } from '../metrics/k6-output.ts';
import { DeferredSink } from './deferred-sink.ts';
import { RequestTally } from './request-tally.ts';
import { resolveOptions, type ScriptOptions } from './options.ts';
import { now } from './runtime/clock.ts';
import { RunContext } from './runtime/context.ts';
import { createLogger, type Logger } from './runtime/logger.ts';
import { initFailure } from './runtime/script-errors.ts';
import { Vu } from './runtime/vu.ts';
import { compileScript, type CompiledScript } from './transform/loader.ts';

export interface PreparedRun {
  script: CompiledScript;
  ctx: RunContext;
  logger: Logger;
  /** The first VU (id 0): it read the options, and runs setup, teardown and handleSummary. */
  mainVu: Vu;
  options: ScriptOptions;
  output: K6Output;
  /** Counts the requests for the caller's events; none when nobody listens. */
  requests: RequestTally | undefined;
}

/** Options until the script's own are known: the first VU's init code runs with these. */
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

export async function prepareRun(run: LoadRunOptions, cwd: string, stderr: NodeJS.WritableStream): Promise<PreparedRun> {
  const script = compileScript(run.script, cwd);
  const sink = new DeferredSink();
  // Log lines count seconds from RunContext.startTime: from here until the test starts, then from that.
  const logger = createLogger(stderr, () => now() - ctx.startTime);
  const ctx = new RunContext(sink, PLACEHOLDER_OPTIONS, { ...run.env }, path.dirname(script.entry), logger);

  const mainVu = new Vu(0, ctx);
  try {
    await mainVu.init(script);
  } catch (error) {
    await mainVu.close();
    // k6 exits with 107 (script exception) when the init code throws, not with 104 (invalid options).
    throw initFailure(mainVu, error);
  }
  let options: ScriptOptions;
  try {
    options = scriptOptions(mainVu, run, (message) => logger.log('warn', message));
  } catch (error) {
    await mainVu.close();
    throw error;
  }
  ctx.options = options;
  const output = new K6Output({ ndjsonPath: run.ndjsonPath ? path.resolve(cwd, run.ndjsonPath) : undefined, summaryTrendStats: options.summaryTrendStats });
  const requests = run.onEvent ? new RequestTally(output) : undefined;
  sink.attach(requests ?? output);
  try {
    output.configureThresholds({ thresholds: options.thresholds });
  } catch (error) {
    await output.abandon();
    await mainVu.close();
    throw error;
  }
  return { script, ctx, logger, mainVu, options, output, requests };
}

/** The script's options with the CLI's overrides, each scenario's `exec` checked against the exports. */
function scriptOptions(mainVu: Vu, run: LoadRunOptions, warn: (message: string) => void): ScriptOptions {
  const options = resolveOptions(mainVu.exports['options'], { vus: run.vus, duration: run.duration, iterations: run.iterations }, warn);
  for (const s of options.scenarios) {
    if (typeof mainVu.exports[s.exec] !== 'function') throw new K6ConfigError(`executor ${s.name}: function '${s.exec}' not found in exports`);
  }
  return options;
}
