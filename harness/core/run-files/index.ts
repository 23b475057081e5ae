/**
 * The files of a run directory: where each lies, its format (a zod schema per file and version),
 * its writer, and its one reader, which migrates older versions and refuses newer ones. The run
 * stage writes them, the analysis and the reports read them; this module sits below all three so
 * that each file has one owner. results.json is declared by the analysis with the same means
 * (harness/analysis/results-file.ts): its format is the analysis' vocabulary.
 */
export { runDir, runFiles, trialDirInRun, trialFiles } from './layout.ts';
export { RunFileError, TRIAL_FILES_KIND, type RunFileKind } from './run-file-error.ts';
export { requirePresent, writeTextAtomically } from './file-text.ts';
export { judgeLines } from './bad-lines.ts';
export { jsonRunFile } from './json-run-file.ts';
export { manifestFile, type RunManifest, type RunStatus, type WrittenRunManifest } from './manifest.ts';
export type { RecordedScenario } from './recorded-scenario.ts';
export { T0_SOURCES, trialRecordFile, type T0Source, type TrialRecord } from './trial-record.ts';
export { faultEventsFile } from './fault-events.ts';
export { lbStatesFile, type LbStateRecord } from './lb-states.ts';
export { lbCountersFile, type LbCountersSnapshot, type LbFrontendCounters, type LbLogSink, type LbResponseCounts, type LbTrafficCounters } from './lb-counters.ts';
export { lbSettingsFile, LbSettingsSchema } from './lb-settings.ts';
export { loadGeneratorFile } from './load-generator.ts';
