/**
 * The report stage: results.json + verdict + manifest metadata → report.html, summary.md,
 * junit.xml; and run-to-run comparison. Reads results.json and manifest.json, never raw files
 * (except through the analysis when asked to rebuild) and never Docker.
 */
export { finishRun, type FinishRunOptions, type FinishRunOutcome } from './finish-run.ts';
export { obtainResults, assertRunDir, type AnalysisMode } from './load-results.ts';
export { readRunInfo, type RunInfo } from './run-info.ts';
export { writeReports } from './write-reports.ts';
export { RENDERERS, ALL_REPORTS, CI_REPORTS } from './registry.ts';
export type { ReportInput, ReportName, ReportRenderer } from './renderer.ts';
export { formatVerdictText } from './verdict-text.ts';
export { compareResults, type RunComparison, type FigureDelta } from './compare/compare-runs.ts';
export { formatCompareJson, formatCompareMarkdown, formatCompareText } from './compare/format-comparison.ts';
