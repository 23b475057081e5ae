/**
 * The files of a run directory: where each lies, its format (a zod schema per file and version),
 * its writer, and its one reader, which migrates older versions and refuses newer ones. The run
 * stage writes them, the analysis and the reports read them; this module sits below all three so
 * that each file has one owner. results.json is declared by the analysis with the same means
 * (harness/analysis/results-file.ts): its format is the analysis' vocabulary.
 */
export { runDir, runFiles, trialFiles } from './layout.ts';
export { RunFileError, type RunFileKind } from './run-file-error.ts';
export { writeTextAtomically } from './file-text.ts';
export { jsonRunFile, type JsonRunFile, type JsonRunFileFormat } from './json-run-file.ts';
