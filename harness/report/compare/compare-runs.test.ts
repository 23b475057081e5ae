import { describe, expect, it } from 'vitest';
import type { Results } from '../../analysis/index.ts';
import { compareTrials } from '../../analysis/figures/comparison.ts';
import { fixtureResults } from '../testing/fixtures.ts';
import { compareResults, judge, type FigureDelta } from './compare-runs.ts';
import { formatCompareJson, formatCompareMarkdown, formatCompareText } from './format-comparison.ts';

/** The fixture changed by `change`, with its comparison section recomputed as the analysis would. */
function variant(change: (results: Results) => void): Results {
  const results = fixtureResults();
  change(results);
  results.meta.runId = 'run-b';
  results.comparison = compareTrials(results.trials);
  return results;
}

const find = (deltas: readonly FigureDelta[], trial: string, subject: string, figure: string): FigureDelta | undefined =>
  deltas.find((delta) => delta.trial === trial && delta.subject === subject && delta.figure === figure);

describe('judge', () => {
  const v = (value: number) => ({ value, status: 'value' as const });
  it.each([
    ['lower is better, 20 % worse', v(100), v(120), 'ms', 'lower', 'regressed'],
    ['lower is better, 5 % worse: within tolerance', v(100), v(105), 'ms', 'lower', 'unchanged'],
    ['lower is better, 20 % better', v(100), v(80), 'ms', 'lower', 'improved'],
    ['higher is better, 20 % lower', v(100), v(80), 'per-second', 'higher', 'regressed'],
    ['a rate that was 0 can regress (floor 1 pp)', v(0), v(0.002), 'ratio', 'lower', 'regressed'],
    ['a rate that was 0 does not regress by noise', v(0), v(0.0005), 'ratio', 'lower', 'unchanged'],
    ['a count from 0 to 1', v(0), v(1), 'count', 'lower', 'regressed'],
  ] as const)('%s', (_name, a, b, unit, better, verdict) => {
    expect(judge(a, b, unit, better, 0.1)).toBe(verdict);
  });

  it('ranks "never" below every value, and cannot compare n/a', () => {
    const never = { value: null, status: 'never' as const };
    expect(judge(v(2000), never, 'ms', 'lower', 0.1)).toBe('regressed');
    expect(judge(never, v(2000), 'ms', 'lower', 0.1)).toBe('improved');
    expect(judge(never, never, 'ms', 'lower', 0.1)).toBe('unchanged');
    expect(judge(v(1), { value: null, status: 'not-applicable' }, 'ms', 'lower', 0.1)).toBe('not-comparable');
  });
});

describe('compareResults', () => {
  it('finds no change between a run and itself', () => {
    const comparison = compareResults(fixtureResults(), fixtureResults(), { tolerance: 0.1 });
    expect(comparison.counts.regressed).toBe(0);
    expect(comparison.counts.improved).toBe(0);
    expect(comparison.notes).toEqual([]);
    // 12 headline figures + throughput per trial, 9 figures per fault, 2 faults, 2 trials.
    expect(comparison.deltas).toHaveLength(2 * (13 + 2 * 9));
  });

  it('flags regressions beyond the tolerance, direction-aware, trial by trial and fault by fault', () => {
    const b = variant((results) => {
      const [stateful, stateless] = results.trials;
      if (stateful === undefined || stateless === undefined) throw new Error('fixture changed');
      stateless.totals.failed = 20;
      stateless.totals.errorRate = 20 / 11_244; // 0.0267 % → 0.178 %: worse
      stateful.totals.latency.p95Ms = 5; // 7.65 → 5 ms: better
      const kill = stateful.faults[0];
      if (kill === undefined) throw new Error('fixture changed');
      kill.recoveryMs = null; // recovered in 1.2 s → never
      stateless.totals.requests = 500; // throughput halves: worse (higher is better)
    });
    const comparison = compareResults(fixtureResults(), b, { tolerance: 0.1, labels: { a: 'base', b: 'next' } });
    const errorRate = find(comparison.deltas, 'stateless', 'trial', 'errorRate');
    expect(errorRate).toMatchObject({ verdict: 'regressed', better: 'lower' });
    expect(errorRate?.delta).toBeCloseTo(17 / 11_244, 10);
    expect(find(comparison.deltas, 'stateful', 'trial', 'p95LatencyMs')).toMatchObject({ verdict: 'improved', delta: 5 - 7.651 });
    expect(find(comparison.deltas, 'stateful', 'fault #0 kill app-2', 'recoveryMs')).toMatchObject({ verdict: 'regressed', b: { status: 'never' } });
    expect(find(comparison.deltas, 'stateful', 'trial', 'worstRecoveryMs')).toMatchObject({ verdict: 'regressed' });
    expect(find(comparison.deltas, 'stateless', 'trial', 'throughput')).toMatchObject({ verdict: 'regressed', better: 'higher' });
    expect(comparison.counts.regressed).toBe(4);

    const text = formatCompareText(comparison);
    expect(text.split('\n')[1]).toBe('4 regressed, 1 improved, 53 unchanged, 4 not comparable (tolerance 10 %)');
    // Regressions are listed first.
    expect(text.split('\n')[4]).toMatch(/REGRESSED$/);
    expect(text).toMatch(/stateless\s+trial\s+Request error rate \(whole trial\)\s+0\.0267 %\s+0\.178 %\s+\+0\.151 pp \(\+567 %\)\s+REGRESSED/);

    const markdown = formatCompareMarkdown(comparison);
    expect(markdown).toContain('| stateless | trial | Request error rate (whole trial) | 0.0267 % | 0.178 % | +0.151 pp (+567 %) | ❌ regressed |');
    expect(JSON.parse(formatCompareJson(comparison))).toMatchObject({ counts: { regressed: 4 }, a: { label: 'base' }, b: { label: 'next', runId: 'run-b' } });
  });

  it('notes trials and faults that exist on one side only', () => {
    const b = variant((results) => {
      results.trials = results.trials.filter((trial) => trial.name === 'stateful');
      const stateful = results.trials[0];
      const scaleOut = stateful?.faults[1];
      if (scaleOut === undefined) throw new Error('fixture changed');
      scaleOut.action = 'scale-in';
    });
    const comparison = compareResults(fixtureResults(), b, { tolerance: 0.1 });
    expect(comparison.notes).toEqual(['stateful fault #1 scale-out app-4, app-5: B did scale-in there, not compared', 'stateless: only in A, not compared']);
  });
});
