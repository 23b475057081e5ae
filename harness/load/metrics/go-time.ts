/**
 * Times and durations in Go's text forms: RFC 3339 with a trimmed fraction (time.RFC3339Nano, as k6's
 * NDJSON writes sample times) and time.Duration.String() (as k6 writes delayAbortEval).
 */

/**
 * Returns a formatter from epoch milliseconds to "2026-11-28T20:30:36.606392Z". Our times are doubles
 * whose resolution near today is about 0.24 µs, so the fraction is rounded to the microsecond rather
 * than printing noise as nanoseconds. The date part is cached per second: this runs once per sample.
 */
export function createRfc3339Formatter(): (epochMs: number) => string {
  let cachedSecond = Number.NaN;
  let cachedPrefix = '';
  return (epochMs: number): string => {
    let second = Math.floor(epochMs / 1000);
    let micros = Math.round((epochMs - second * 1000) * 1000);
    if (micros >= 1_000_000) {
      second += 1;
      micros -= 1_000_000;
    }
    if (second !== cachedSecond) {
      cachedSecond = second;
      cachedPrefix = new Date(second * 1000).toISOString().slice(0, 19);
    }
    if (micros === 0) return `${cachedPrefix}Z`;
    let fraction = String(micros).padStart(6, '0');
    let end = fraction.length;
    while (fraction.charCodeAt(end - 1) === 48) end--;
    if (end !== fraction.length) fraction = fraction.slice(0, end);
    return `${cachedPrefix}.${fraction}Z`;
  };
}

const NS_PER_MS = 1e6;

/** Go's time.Duration.String() for a duration given in milliseconds ("1m30s", "1.5ms", "0s"). */
export function formatGoDuration(ms: number): string {
  let ns = Math.round(ms * NS_PER_MS);
  if (ns === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  ns = Math.abs(ns);
  if (ns < 1000) return `${sign}${ns}ns`;
  if (ns < 1e6) return `${sign}${fraction(ns, 1e3)}µs`;
  if (ns < 1e9) return `${sign}${fraction(ns, 1e6)}ms`;
  const hours = Math.floor(ns / 3.6e12);
  const minutes = Math.floor((ns % 3.6e12) / 6e10);
  const seconds = fraction(ns % 6e10, 1e9);
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${seconds}s`;
}

/** value / unit with the fractional digits Go prints: as many as needed, no trailing zeros. */
function fraction(value: number, unit: number): string {
  const whole = Math.floor(value / unit);
  const rest = value - whole * unit;
  if (rest === 0) return String(whole);
  const digits = String(unit).length - 1;
  return `${whole}.${String(rest).padStart(digits, '0').replace(/0+$/, '')}`;
}

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};
const DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h|d)/y;

/**
 * Parses a k6 duration as milliseconds: a Go duration string ("1m30s", "500ms", also "1d" as k6's
 * extended form, and "0"), or a number, which k6 reads as milliseconds. Returns undefined when invalid.
 */
export function parseK6Duration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  let text = value.trim();
  let sign = 1;
  if (text.startsWith('-') || text.startsWith('+')) {
    sign = text.startsWith('-') ? -1 : 1;
    text = text.slice(1);
  }
  if (text === '0') return 0;
  if (text === '') return undefined;
  let total = 0;
  DURATION_PART.lastIndex = 0;
  while (DURATION_PART.lastIndex < text.length) {
    const match = DURATION_PART.exec(text);
    if (match === null) return undefined;
    total += Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? Number.NaN);
  }
  return Number.isFinite(total) ? sign * total : undefined;
}
