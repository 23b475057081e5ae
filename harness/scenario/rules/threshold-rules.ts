/**
 * Rules for thresholds: only for the scenario's architectures, fractions between 0 and 1, whole
 * session counts, one threshold per metric and scope, and only metrics the faults can produce (a
 * threshold on something never measured would pass vacuously).
 */
import { DETECTABLE_FAILURES } from '../../core/fault-action-lists.ts';
import type { Parts } from '../parts.ts';
import { formatPath, orList, problem, quoted, valueAt, type Problem } from '../problems.ts';
import { FRACTION_METRICS, SCENARIO_ARCHITECTURES, type ParsedFault, type Threshold, type ThresholdMetric } from '../schema.ts';

export function thresholdRules(parts: Parts, raw: Record<string, unknown>): Problem[] {
  const lines: Problem[] = [];
  const architectures = parts.architectures;
  const foreign = new Set<string>();
  if (architectures !== undefined) {
    const thresholds = raw['thresholds'];
    const keys = thresholds !== null && typeof thresholds === 'object' && !Array.isArray(thresholds) ? Object.keys(thresholds) : [];
    for (const who of keys) {
      if (who === '*' || !(SCENARIO_ARCHITECTURES as readonly string[]).includes(who) || (architectures as readonly string[]).includes(who)) continue;
      foreign.add(who);
      lines.push(problem(['thresholds', who], valueAt(raw, ['thresholds', who]), `thresholds only for the scenario's architectures (${orList(quoted(architectures))}) or "*"`));
    }
  }

  const seen = new Map<string, number>();
  const faults = parts.faults.filter((f): f is ParsedFault => f !== undefined);
  for (const { who, index, threshold } of parts.thresholds) {
    if (foreign.has(who)) continue;
    const path = ['thresholds', who, index];
    if (FRACTION_METRICS.includes(threshold.metric) && threshold.max > 1) {
      lines.push(problem([...path, 'max'], threshold.max, `a fraction from 0 to 1 for ${threshold.metric} (0.05 = 5 %)`));
    }
    if (threshold.metric === 'sessions_lost' && !Number.isInteger(threshold.max)) {
      lines.push(problem([...path, 'max'], threshold.max, 'a whole number of sessions'));
    }
    const id = `${who}/${threshold.metric}/${threshold.scope}`;
    const first = seen.get(id);
    if (first === undefined) seen.set(id, index);
    else {
      const already = formatPath(['thresholds', who, first]);
      lines.push(problem([...path, 'metric'], threshold.metric, `one threshold per metric and scope (${threshold.metric} with scope ${threshold.scope} is already ${already})`));
    }
    if (parts.faultsComplete) lines.push(...measurable(threshold, path, faults));
  }
  return lines;
}

function measurable(threshold: Threshold, path: (string | number)[], faults: readonly ParsedFault[]): Problem[] {
  const needs: Partial<Record<ThresholdMetric, [(f: ParsedFault) => boolean, string]>> = {
    recovery_ms: [() => true, 'at least one fault'],
    detection_ms: [(f) => DETECTABLE_FAILURES.includes(f.action) && f.target !== 'datastore', `a ${orList(DETECTABLE_FAILURES)} of a replica`],
    scale_out_ms: [(f) => f.action === 'scale-out', 'a scale-out fault'],
  };
  const need = needs[threshold.metric];
  const lines: Problem[] = [];
  if (need !== undefined && !faults.some(need[0])) {
    lines.push(problem([...path, 'metric'], threshold.metric, `a metric this scenario measures (${threshold.metric} needs ${need[1]})`));
  }
  if (threshold.scope === 'fault-windows' && faults.length === 0) {
    lines.push(problem([...path, 'scope'], threshold.scope, '"trial" (the scenario has no faults, hence no fault windows)'));
  }
  return lines;
}
