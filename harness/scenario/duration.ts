/**
 * Durations as scenario files write them ("20s", "1m30s", "1500ms", "1.5s", "2h") and offsets that
 * may instead be a percentage of the load duration ("33%"). A unit is always required: a bare number
 * would be ambiguous between seconds (k6's habit in some places) and milliseconds.
 */
export const DURATION_PATTERN = /^(?:\d+(?:\.\d+)?(?:ms|h|m|s))+$/;
export const PERCENT_PATTERN = /^\d+(?:\.\d+)?%$/;
export const OFFSET_PATTERN = new RegExp(`${DURATION_PATTERN.source}|${PERCENT_PATTERN.source}`);

export const DURATION_EXAMPLES = 'a duration such as "20s", "1m30s" or "1500ms"';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds (rounded to whole ms), or undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  if (!DURATION_PATTERN.test(text)) return undefined;
  let total = 0;
  for (const match of text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) {
    total += Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? Number.NaN);
  }
  return Number.isFinite(total) ? Math.round(total) : undefined;
}

/** The percentage in "33%" or "12.5%", or undefined. */
export function parsePercent(text: string): number | undefined {
  return PERCENT_PATTERN.test(text) ? Number(text.slice(0, -1)) : undefined;
}

/** A compact duration for messages: 90000 → "1m30s", 1500 → "1.5s", 250 → "250ms". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  let out = '';
  if (h > 0) out += `${h}h`;
  if (m > 0) out += `${m}m`;
  if (s > 0 || out === '') out += `${Number(s.toFixed(3))}s`;
  return out;
}
