import { formatFigure } from '../../verdict/index.ts';
import { escapeMarkdown as md } from '../escape.ts';
import type { CompareUnit, DeltaVerdict, FigureDelta, MeasuredFigure, RunComparison } from './compare-runs.ts';

/** How a run comparison is printed: an aligned text table, Markdown, or JSON. */

export function formatCompareValue(unit: CompareUnit, figure: MeasuredFigure): string {
  switch (figure.status) {
    case 'never':
      return 'never';
    case 'not-applicable':
      return 'n/a';
    case 'missing':
      return '–';
    case 'value':
      if (figure.value === null) return '–';
      return unit === 'per-second' ? `${figure.value.toFixed(1)} req/s` : formatFigure(unit, figure.value);
  }
}

function formatDelta(delta: FigureDelta): string {
  if (delta.delta === null) return '';
  const sign = delta.delta > 0 ? '+' : delta.delta < 0 ? '−' : '±';
  const size = Math.abs(delta.delta);
  const absolute =
    delta.unit === 'ratio'
      ? `${Number((size * 100).toPrecision(3))} pp`
      : delta.unit === 'per-second'
        ? `${size.toFixed(1)} req/s`
        : formatFigure(delta.unit, size);
  const relative = delta.relative === null ? '' : ` (${sign}${Math.abs(delta.relative * 100).toFixed(0)} %)`;
  return `${sign}${absolute}${relative}`;
}

const VERDICT_TEXT: Readonly<Record<DeltaVerdict, string>> = {
  regressed: 'REGRESSED',
  improved: 'improved',
  unchanged: '',
  'not-comparable': 'not comparable',
};

function headline(comparison: RunComparison): string {
  const { counts } = comparison;
  return (
    `${counts.regressed} regressed, ${counts.improved} improved, ${counts.unchanged} unchanged, ${counts['not-comparable']} not comparable ` +
    `(tolerance ${Number((comparison.tolerance * 100).toFixed(2))} %)`
  );
}

/** Rows in a stable order: regressions first, then the rest as compared. */
const ordered = (deltas: readonly FigureDelta[]): FigureDelta[] => [
  ...deltas.filter((delta) => delta.verdict === 'regressed'),
  ...deltas.filter((delta) => delta.verdict !== 'regressed'),
];

export function formatCompareText(comparison: RunComparison): string {
  const header = ['trial', 'subject', 'figure', `A ${comparison.a.label}`, `B ${comparison.b.label}`, 'B − A', ''];
  const rows = ordered(comparison.deltas).map((delta) => [
    delta.trial,
    delta.subject,
    delta.label,
    formatCompareValue(delta.unit, delta.a),
    formatCompareValue(delta.unit, delta.b),
    formatDelta(delta),
    VERDICT_TEXT[delta.verdict],
  ]);
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => (row[column] ?? '').length)));
  const numeric = new Set([3, 4, 5]);
  const line = (row: readonly string[]): string =>
    row
      .map((cell, column) => (numeric.has(column) ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [
    `compare A ${comparison.a.label} (${comparison.a.runId}) → B ${comparison.b.label} (${comparison.b.runId})`,
    headline(comparison),
    '',
    line(header),
    ...rows.map(line),
    ...(comparison.notes.length > 0 ? ['', ...comparison.notes.map((note) => `note: ${note}`)] : []),
    '',
  ].join('\n');
}

export function formatCompareMarkdown(comparison: RunComparison): string {
  const rows = ordered(comparison.deltas).map((delta) => {
    const verdict = delta.verdict === 'regressed' ? '❌ regressed' : delta.verdict === 'improved' ? '✅ improved' : VERDICT_TEXT[delta.verdict];
    return `| ${md(delta.trial)} | ${md(delta.subject)} | ${md(delta.label)} | ${md(formatCompareValue(delta.unit, delta.a))} | ${md(formatCompareValue(delta.unit, delta.b))} | ${md(formatDelta(delta))} | ${verdict} |`;
  });
  return [
    `## Run comparison: ${md(comparison.a.label)} → ${md(comparison.b.label)}`,
    '',
    md(headline(comparison)),
    '',
    '| Trial | Subject | Figure | A | B | B − A | |',
    '|---|---|---|---:|---:|---:|---|',
    ...rows,
    ...(comparison.notes.length > 0 ? ['', ...comparison.notes.map((note) => `- ${md(note)}`)] : []),
    '',
  ].join('\n');
}

export function formatCompareJson(comparison: RunComparison): string {
  return `${JSON.stringify(comparison, null, 2)}\n`;
}
