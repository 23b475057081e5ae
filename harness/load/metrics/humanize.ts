import type { MetricContains, MetricType } from '../contract.ts';

/**
 * Number formatting of k6's end-of-test summary (the summary.js jslib that k6 v0.49 embeds), kept
 * digit-for-digit: truncation, not rounding, for percentages and durations.
 */

export function humanizeValue(
  value: number,
  metric: { type: MetricType; contains: MetricContains },
  timeUnit: string | undefined,
): string {
  if (metric.type === 'rate') return `${(Math.trunc(value * 100 * 100) / 100).toFixed(2)}%`;
  switch (metric.contains) {
    case 'data':
      return humanizeBytes(value);
    case 'time':
      return humanizeDuration(value, timeUnit);
    default:
      return toFixedNoTrailingZeros(value, 6);
  }
}

const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];

/** Decimal units, one decimal below 10 ("38 kB", "1.5 MB"). */
export function humanizeBytes(bytes: number): string {
  if (bytes < 10) return `${bytes} B`;
  const exponent = Math.floor(Math.log(bytes) / Math.log(1000));
  const value = Math.floor((bytes / 1000 ** exponent) * 10 + 0.5) / 10;
  return `${value.toFixed(value < 10 ? 1 : 0)} ${BYTE_UNITS[exponent | 0] ?? ''}`;
}

const TIME_UNITS: Readonly<Record<string, { unit: string; coefficient: number }>> = {
  s: { unit: 's', coefficient: 0.001 },
  ms: { unit: 'ms', coefficient: 1 },
  us: { unit: 'µs', coefficient: 1000 },
};

/** A duration given in ms: "0s", "621ns", "39.27µs", "1.1ms", "2.1s", "1m30s", "1h2m3s". */
export function humanizeDuration(ms: number, timeUnit: string | undefined): string {
  const fixed = timeUnit === undefined || timeUnit === '' ? undefined : TIME_UNITS[timeUnit];
  if (fixed !== undefined) return `${(ms * fixed.coefficient).toFixed(2)}${fixed.unit}`;
  if (ms === 0) return '0s';
  if (ms < 0.001) return `${Math.trunc(ms * 1_000_000)}ns`;
  if (ms < 1) return `${toFixedNoTrailingZerosTrunc(ms * 1000, 2)}µs`;
  if (ms < 1000) return `${toFixedNoTrailingZerosTrunc(ms, 2)}ms`;
  let result = `${toFixedNoTrailingZerosTrunc((ms % 60_000) / 1000, ms > 60_000 ? 0 : 2)}s`;
  let rest = Math.trunc(ms / 60_000);
  if (rest < 1) return result;
  result = `${rest % 60}m${result}`;
  rest = Math.trunc(rest / 60);
  if (rest < 1) return result;
  return `${rest}h${result}`;
}

export function toFixedNoTrailingZeros(value: number, precision: number): string {
  return parseFloat(value.toFixed(precision)).toString();
}

function toFixedNoTrailingZerosTrunc(value: number, precision: number): string {
  const multiplier = 10 ** precision;
  return toFixedNoTrailingZeros(Math.trunc(multiplier * value) / multiplier, precision);
}
