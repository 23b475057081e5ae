import type { Verdict } from '../verdict/index.ts';
import { checkActual, failedFirst, thresholdTitle } from './format.ts';

/** The verdict for a terminal: one line of outcome, then one line per check, failed first. */
export function formatVerdictText(verdict: Verdict, runId: string): string {
  if (verdict.status === 'no-thresholds') return `PASSED: no thresholds set (run ${runId})\n`;
  const head = verdict.passed
    ? `PASSED: all ${verdict.counts.checks} thresholds (run ${runId})`
    : `FAILED: ${verdict.counts.failed} of ${verdict.counts.checks} thresholds (run ${runId})`;
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
