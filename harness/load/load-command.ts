/**
 * One load as `harness load` runs it once its engine is chosen, for the command and for a trial alike:
 * the engine and its version first on stderr, k6's progress lines on stderr, the run's own exit code
 * (k6's), and a word when k6 was asked for load-generator figures it does not measure.
 */
import type { LoadEngine, LoadRunOptions, LoadRunResult } from './contract.ts';

export async function runLoadCommand(engine: LoadEngine, options: LoadRunOptions): Promise<LoadRunResult> {
  const stderr = options.stderr ?? process.stderr;
  stderr.write(`harness load: engine ${engine.name} (${await engine.version()})\n`);
  const result = await engine.run({ ...options, onProgress: options.onProgress ?? ((line) => stderr.write(`${line}\n`)) });
  // Said, not failed: a k6 run is still a run; its trial just has no load-generator figures. (A
  // built-in engine killed at a deadline has none either, and says why itself.)
  if (options.loadGeneratorStatsPath !== undefined && result.loadGenerator === undefined && result.engine === 'k6') {
    stderr.write(`harness load: engine ${engine.name} does not measure itself; no load-generator figures written to ${options.loadGeneratorStatsPath}\n`);
  }
  return result;
}
