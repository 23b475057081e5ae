/**
 * The files of a run directory: where each lies, its format (a zod schema per file and version),
 * its writer, and its one reader, which migrates older versions and refuses newer ones. The run
 * stage writes them, the analysis and the reports read them; this module sits below all three so
 * that each file has one owner. results.json is declared by the analysis with the same means
 * (harness/analysis/results-file.ts): its format is the analysis' vocabulary.
 */
export { runDir, runFiles, trialFiles } from './layout.ts';
export { RunFileError, TRIAL_FILES_KIND, type RunFileKind } from './run-file-error.ts';
export { requirePresent, writeTextAtomically } from './file-text.ts';
export { judgeLines, type LineQuality } from './bad-lines.ts';
export { jsonRunFile, type JsonRunFile, type JsonRunFileFormat } from './json-run-file.ts';
export { ndjsonRunFile, type NdjsonRecords, type NdjsonRunFile } from './ndjson-run-file.ts';
export {
  DEFAULT_FAULT_WINDOW_MS,
  T0_SOURCES,
  TRIAL_RECORD_STATUSES,
  trialRecordFile,
  type T0Source,
  type TrialRecord,
  type TrialRecordStatus,
} from './trial-record.ts';
export { faultEventsFile, FaultEventSchema } from './fault-events.ts';
export { lbStatesFile, type LbStateRecord } from './lb-states.ts';
export {
  lbCountersFile,
  type LbCountersSnapshot,
  type LbFrontendCounters,
  type LbLogSink,
  type LbResponseCounts,
  type LbServerCounters,
  type LbTrafficCounters,
} from './lb-counters.ts';
export { lbSettingsFile, LbSettingsSchema } from './lb-settings.ts';
export { loadGeneratorFile, LoadGeneratorStatsSchema } from './load-generator.ts';
