/**
 * The verdict stage: thresholds (scenario + command line) evaluated against results.json. The
 * verdict is data; reports and the CLI present it.
 */
export { evaluateVerdict, measurementProblems, SATURATION_CAVEAT, type VerdictInput } from './evaluate.ts';
export { measure, type Measurement } from './measure.ts';
export { METRICS, METRIC_LIST, type MetricInfo, type MetricUnit } from './metrics.ts';
export { resolveThresholds, type ScenarioThresholds } from './resolve.ts';
export { THRESHOLD_HELP, THRESHOLD_VALUE_SYNTAX, parseThresholdFlag, readThresholdFlags, thresholdOptions } from './threshold-flags.ts';
export { faultLabel, measuredFaults } from './fault-label.ts';
export { formatFigure, formatRaw } from './units.ts';
export type { CheckStatus, CliThreshold, MeasurementProblem, ThresholdCheck, ThresholdScope, ThresholdSource, ThresholdSpec, Verdict } from './types.ts';
