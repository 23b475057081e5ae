import type { MetricUnit } from './metrics.ts';

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Three significant digits, without trailing zeros: 0.0064 → "0.0064", 126.719 → "127". */
function significant(value: number): string {
  if (value === 0) return '0';
  return String(Number(value.toPrecision(3)));
}

/**
 * A figure for people: ratios as percentages, times in ms, counts as integers (or one decimal when
 * fractional, as excess errors are). Plain text: callers escape it for their format.
 */
export function formatFigure(unit: MetricUnit, value: number): string {
  switch (unit) {
    case 'ratio':
      return `${significant(value * 100)} %`;
    case 'ms':
      return Math.abs(value) >= 100 ? `${grouped.format(value)} ms` : `${significant(value)} ms`;
    case 'count':
      return Number.isInteger(value) ? grouped.format(value) : value.toFixed(1);
  }
}

/** A number in the unit the thresholds use (fractions, ms, counts), for data files and flags. */
export function formatRaw(value: number): string {
  return String(Number(value.toPrecision(6)));
}
