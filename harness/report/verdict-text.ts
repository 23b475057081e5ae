import type { Verdict } from '../verdict/index.ts';
import { checkActual, failedFirst, thresholdTitle } from './format.ts';

/**
 * The verdict for a terminal: one line of outcome, the trials that did not measure what they claim,
 * then one line per check, failed first.
 */
export function formatVerdictText(verdict: Verdict, runId: string): string {
  const problems = verdict.problems.map((problem) => `  ${problem.trial}: ${problem.status}: ${problem.reason}`);
  if (verdict.status === 'not-measured') {
    const head = `NOT MEASURED: ${verdict.problems.length} trial(s) did not measure what they claim (run ${runId})`;
    if (verdict.checks.length === 0) return `${[head, ...problems].join('\n')}\n`;
    // Thresholds over partial figures are shown, never as a pass.
    const checksHead = `thresholds on what was measured: ${verdict.counts.failed} of ${verdict.counts.checks} failed`;
    return `${[head, ...problems, '', checksText(verdict, checksHead)].join('\n')}`;
  }
  if (verdict.status === 'no-thresholds') return `PASSED: no thresholds set (run ${runId})\n`;
  const head = verdict.passed
    ? `PASSED: all ${verdict.counts.checks} thresholds (run ${runId})`
    : `FAILED: ${verdict.counts.failed} of ${verdict.counts.checks} thresholds (run ${runId})`;
  return checksText(verdict, head);
}

function checksText(verdict: Verdict, head: string): string {
  const rows = failedFirst(verdict.checks).map((check) => [
    check.ok ? 'pass' : 'FAIL',
    check.trial,
    thresholdTitle(check),
    checkActual(check),
    `${check.detail} [${check.source}]`,
  ]);
  const widths = [0, 1, 2, 3].map((column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const lines = rows.map((row) => `  ${row.map((cell, column) => (column < 4 ? cell.padEnd(widths[column] ?? 0) : cell)).join('  ')}`);
  return `${[head, ...lines].join('\n')}\n`;
}
