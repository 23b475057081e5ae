import { evaluateVerdict, type CliThreshold, type Verdict } from '../verdict/index.ts';
import type { Results } from '../analysis/index.ts';
import { runFiles } from '../core/run-files/index.ts';
import { assertRunDir, obtainResults, type AnalysisMode } from './load-results.ts';
import { ALL_REPORTS } from './registry.ts';
import type { ReportInput, ReportName } from './renderer.ts';
import { readRunInfo, type RunInfo } from './run-info.ts';
import { writeReports } from './write-reports.ts';

export interface FinishRunOptions {
  /** Thresholds from the command line (readThresholdFlags); they win over the scenario's. */
  cliThresholds?: readonly CliThreshold[];
  /** Default "always": re-analyse the raw files and write results.json. */
  analysis?: AnalysisMode;
  /** Default: every report (html, markdown, junit). */
  reports?: readonly ReportName[];
  /** The clock for results.json's generatedAt (tests pin it). */
  now?: () => Date;
}

export interface FinishRunOutcome {
  results: Results;
  verdict: Verdict;
  run: RunInfo;
  /**
   * 0: every threshold passed (or there were none); 1: a threshold failed; 2: a trial did not
   * measure what it claims (failed, interrupted or never run), whatever the thresholds say.
   */
  exitCode: 0 | 1 | 2;
  /** Whether results.json was (re)built from the raw files. */
  analysed: boolean;
  /** Paths of the files written (results.json when analysed, then the reports). */
  written: string[];
}

/**
 * The end of every run, shared by `harness run`, `harness report` and `harness gate`: results.json
 * (analysed from the raw files, or read), the thresholds of the scenario and the command line
 * evaluated into a verdict, and the reports written. Harness errors (missing run directory, broken
 * files) are thrown; a failed threshold is not an error but exitCode 1, a trial that did not measure
 * what it claims exitCode 2.
 */
export async function finishRun(runDir: string, options: FinishRunOptions = {}): Promise<FinishRunOutcome> {
  const analysis = options.analysis ?? 'always';
  await assertRunDir(runDir);
  const run = await readRunInfo(runDir);
  const { results, analysed } = await obtainResults(runDir, { analysis, write: true, ...(options.now === undefined ? {} : { now: options.now }) });
  const verdict = evaluateVerdict({
    results,
    scenarioThresholds: run.thresholds,
    ...(run.plannedTrials === null ? {} : { scenarioTrials: run.plannedTrials }),
    cliThresholds: options.cliThresholds ?? [],
  });
  const input: ReportInput = { results, verdict, run };
  const written = await writeReports(runDir, input, options.reports ?? ALL_REPORTS);
  return {
    results,
    verdict,
    run,
    exitCode: verdict.status === 'not-measured' ? 2 : verdict.passed ? 0 : 1,
    analysed,
    written: analysed ? [runFiles(runDir).results, ...written] : written,
  };
}
