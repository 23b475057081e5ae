/**
 * The analysis stage: raw trial outputs (k6 NDJSON, fault events, LB states) → results.json. Reads
 * files only, never Docker, so a run can be re-analysed offline.
 */
export { analyzeTrial } from './analyze-trial.ts';
export { analyzeRun, type AnalyzeRunOptions } from './analyze-run.ts';
export { readResults, readResultsIfPresent, writeResults } from './results-file.ts';
export type { TrialRecord } from './inputs.ts';
export { GLOSSARY } from './glossary.ts';
export {
  CLIENT_LATENCY_FIGURES,
  RESULTS_SCHEMA_VERSION,
  ResultsSchema,
  TrialResultSchema,
  resultsJsonSchema,
  type ComparisonEntry,
  type FaultFigures,
  type LatencySummaryFigures,
  type LoadGeneratorFigures,
  type Results,
  type ReplayFigures,
  type ScaleOutFigures,
  type SecondFigures,
  type SpanFigures,
  type TrialResult,
  type TrialStatus,
  type UnmeasuredTrial,
} from './results-schema.ts';
