import { CLIENT_LATENCY_FIGURES, type ComparisonEntry, type ComparisonFigure, type TrialResult } from '../analysis/results-schema.ts';
import { formatFigure, formatRaw, METRICS, type ThresholdCheck, type ThresholdSpec } from '../verdict/index.ts';

/** Plain-text formatting shared by the renderers; each escapes the result for its own format. */

const NEVER: Partial<Record<ComparisonFigure, string>> = {
  worstRecoveryMs: 'not recovered',
  worstDetectionMs: 'not detected',
  worstScaleOutFirstRequestMs: 'no request yet',
  worstFairShareMs: 'not reached',
};

export type ComparisonValue = ComparisonEntry['values'][number];

/** The load balancer settings a trial ran with, in one line; undefined when the run did not record them. */
export function lbSettingsText(trial: Pick<TrialResult, 'lbSettings'>): string | undefined {
  const lb = trial.lbSettings;
  if (lb === null) return undefined;
  const sticky = lb.stickiness === 'cookie' ? 'sticky (cookie)' : 'no stickiness';
  return `connect timeout ${formatFigure('ms', lb.connectTimeoutMs)}, ${lb.retries} retries, checks every ${formatFigure('ms', lb.checkIntervalMs)} (fall ${lb.fall}, rise ${lb.rise}), ${lb.balance}, ${sticky}`;
}

/** The trials whose load generator was saturated: their latency figures carry a caveat. */
export function saturatedTrials(trials: readonly TrialResult[]): ReadonlySet<string> {
  return new Set(trials.filter((trial) => trial.loadGenerator?.saturated === true).map((trial) => trial.name));
}

/** Whether a headline cell is a latency that a saturated load generator may have inflated. */
export function inflatedByLoadGenerator(entry: Pick<ComparisonEntry, 'figure'>, trial: string, saturated: ReadonlySet<string>): boolean {
  return saturated.has(trial) && CLIENT_LATENCY_FIGURES.has(entry.figure);
}

/** One sentence on a saturated load generator, with the figures that showed it. */
export function saturationText(trial: TrialResult): string | undefined {
  const generator = trial.loadGenerator;
  if (generator === null || !generator.saturated) return undefined;
  return `the load generator was saturated (${generator.reasons.join('; ')}): its latency figures may be inflated by the generator's own queueing`;
}

/** A headline figure as the tables show it; "never" says what did not happen. */
export function formatComparisonValue(entry: Pick<ComparisonEntry, 'figure' | 'unit'>, value: ComparisonValue | undefined): string {
  if (value === undefined) return '–';
  if (value.status === 'never') return NEVER[entry.figure] ?? 'never';
  if (value.status === 'not-applicable' || value.value === null) return 'n/a';
  return formatFigure(entry.unit, value.value);
}

/** Milliseconds from t0 as seconds: 4954 → "4.95 s". */
export function formatOffset(ms: number): string {
  return `${Number((ms / 1000).toFixed(2))} s`;
}

/** A nullable time, with what null means here. */
export function formatMs(value: number | null, whenNull: string): string {
  return value === null ? whenNull : formatFigure('ms', value);
}

export function formatRatio(value: number | null, whenNull = '–'): string {
  return value === null ? whenNull : formatFigure('ratio', value);
}

/** "error_rate (fault-windows) ≤ 5 %" */
export function thresholdTitle(spec: Pick<ThresholdSpec, 'metric' | 'scope' | 'max'>): string {
  return `${spec.metric} (${spec.scope}) ≤ ${formatFigure(METRICS[spec.metric].unit, spec.max)}`;
}

/** The measured value of a check, or why there is none. */
export function checkActual(check: ThresholdCheck): string {
  return check.actual === null ? 'not measured' : formatFigure(METRICS[check.metric].unit, check.actual);
}

/** The raw numbers, as the thresholds are written (fraction, ms, count): for JUnit names. */
export function thresholdKey(spec: Pick<ThresholdSpec, 'metric' | 'scope' | 'max'>): string {
  return `${spec.metric} (${spec.scope}) max ${formatRaw(spec.max)}`;
}

/** Failed checks first (missing figures with them), then passing ones; stable otherwise. */
export function failedFirst(checks: readonly ThresholdCheck[]): ThresholdCheck[] {
  return [...checks.filter((check) => !check.ok), ...checks.filter((check) => check.ok)];
}

/** Time of day in UTC for metadata: "2026-11-28 21:44:05 UTC". */
export function formatTimestamp(iso: string | number | null): string {
  if (iso === null) return '–';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return `${date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, '')} UTC`;
}

/** "builtin-0.1.0 (k6 v0.49.0 compatible)", or "k6 v0.52.0" when the version does not name the engine. */
export function engineText(engine: { name: string; version: string } | null): string | null {
  if (engine === null) return null;
  return engine.version.startsWith(engine.name) ? engine.version : `${engine.name} ${engine.version}`;
}
