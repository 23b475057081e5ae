import { humanizeValue } from './humanize.ts';
import type { SummaryData, SummaryGroup, SummaryMetric } from './summary-types.ts';
import { DEFAULT_SUMMARY_TREND_STATS } from './trend-stats.ts';

/**
 * k6's end-of-test text summary (the summary.js jslib embedded in k6 v0.49): the checks tree, then one
 * line per metric, names padded with dots, values in aligned columns. See stdout-summary.txt.
 */

export interface TextSummaryOptions {
  /** k6 uses ' '. */
  indent?: string;
  enableColors?: boolean;
  summaryTimeUnit?: string;
  summaryTrendStats?: readonly string[];
}

const GROUP_PREFIX = '█';
const DETAILS_PREFIX = '↳';
const SUCCESS_MARK = '✓';
const FAIL_MARK = '✗';
const COLOR = { faint: 2, red: 31, green: 32, cyan: 36 } as const;

type Decorate = (text: string, ...codes: number[]) => string;

export function textSummary(data: SummaryData, options: TextSummaryOptions = {}): string {
  const indent = options.indent ?? ' ';
  const enableColors = options.enableColors ?? true;
  const decorate: Decorate = enableColors
    ? (text, ...codes) => `\x1b[${codes.join(';')}m${text}\x1b[0m`
    : (text) => text;
  const settings: MetricSettings = {
    indent,
    summaryTimeUnit: options.summaryTimeUnit ?? data.options.summaryTimeUnit,
    summaryTrendStats: options.summaryTrendStats ?? data.options.summaryTrendStats ?? DEFAULT_SUMMARY_TREND_STATS,
  };
  const lines = [...summarizeGroup(`${indent}    `, data.root_group, decorate), ...summarizeMetrics(settings, data, decorate)];
  return lines.join('\n');
}

/** What `k6 run` prints on stdout when the script has no handleSummary. */
export function defaultStdoutSummary(data: SummaryData, enableColors: boolean): string {
  return `\n${textSummary(data, { indent: ' ', enableColors })}\n\n`;
}

function summarizeCheck(indent: string, check: SummaryGroup['checks'][number], decorate: Decorate): string {
  if (check.fails === 0) return decorate(`${indent}${SUCCESS_MARK} ${check.name}`, COLOR.green);
  const percent = Math.floor((100 * check.passes) / (check.passes + check.fails));
  return decorate(
    `${indent}${FAIL_MARK} ${check.name}\n${indent} ${DETAILS_PREFIX}  ${percent}% — ` +
      `${SUCCESS_MARK} ${check.passes} / ${FAIL_MARK} ${check.fails}`,
    COLOR.red,
  );
}

function summarizeGroup(indent: string, group: SummaryGroup, decorate: Decorate): string[] {
  const result: string[] = [];
  let inner = indent;
  if (group.name !== '') {
    result.push(`${indent}${GROUP_PREFIX} ${group.name}\n`);
    inner = `${indent}  `;
  }
  for (const check of group.checks) result.push(summarizeCheck(inner, check, decorate));
  if (group.checks.length > 0) result.push('');
  for (const child of group.groups) result.push(...summarizeGroup(inner, child, decorate));
  return result;
}

interface MetricSettings {
  indent: string;
  summaryTimeUnit: string;
  summaryTrendStats: readonly string[];
}

function displayName(name: string): string {
  const at = name.indexOf('{');
  return at >= 0 ? `{ ${name.slice(at + 1, -1)} }` : name;
}

function metricIndent(name: string): string {
  return name.includes('{') ? '  ' : '';
}

function nonTrendValues(metric: SummaryMetric, timeUnit: string): string[] {
  const v = metric.values;
  switch (metric.type) {
    case 'counter':
      return [humanizeValue(v['count'] ?? 0, metric, timeUnit), `${humanizeValue(v['rate'] ?? 0, metric, timeUnit)}/s`];
    case 'gauge':
      return [
        humanizeValue(v['value'] ?? 0, metric, timeUnit),
        `min=${humanizeValue(v['min'] ?? 0, metric, timeUnit)}`,
        `max=${humanizeValue(v['max'] ?? 0, metric, timeUnit)}`,
      ];
    case 'rate':
      return [
        humanizeValue(v['rate'] ?? 0, metric, timeUnit),
        `${SUCCESS_MARK} ${v['passes'] ?? 0}`,
        `${FAIL_MARK} ${v['fails'] ?? 0}`,
      ];
    default:
      return ['[no data]'];
  }
}

/** Sorted by name, with submetrics kept right after their parent. */
function compareMetricNames(a: string, b: string): number {
  const parentA = a.split('{', 1)[0] ?? a;
  const parentB = b.split('{', 1)[0] ?? b;
  const byParent = parentA.localeCompare(parentB);
  if (byParent !== 0) return byParent;
  return a.slice(parentA.length).localeCompare(b.slice(parentB.length));
}

function summarizeMetrics(settings: MetricSettings, data: SummaryData, decorate: Decorate): string[] {
  const indent = `${settings.indent}  `;
  const stats = settings.summaryTrendStats;
  const names = Object.keys(data.metrics);
  let nameWidth = 0;
  const trendColumns = new Map<string, string[]>();
  const trendWidths = new Array<number>(stats.length).fill(0);
  const values = new Map<string, string>();
  let valueWidth = 0;
  const extras = new Map<string, string[]>();
  const extraWidths = [0, 0];

  for (const name of names) {
    const metric = data.metrics[name] as SummaryMetric;
    nameWidth = Math.max(nameWidth, strWidth(metricIndent(name) + displayName(name)));
    if (metric.type === 'trend') {
      const columns = stats.map((stat, i) => {
        const raw = metric.values[stat] ?? 0;
        const text = stat === 'count' ? String(raw) : humanizeValue(raw, metric, settings.summaryTimeUnit);
        trendWidths[i] = Math.max(trendWidths[i] ?? 0, strWidth(text));
        return text;
      });
      trendColumns.set(name, columns);
      continue;
    }
    const [first = '', ...rest] = nonTrendValues(metric, settings.summaryTimeUnit);
    values.set(name, first);
    valueWidth = Math.max(valueWidth, strWidth(first));
    extras.set(name, rest);
    rest.forEach((text, i) => {
      extraWidths[i] = Math.max(extraWidths[i] ?? 0, strWidth(text));
    });
  }

  const pad = (text: string, width: number): string => ' '.repeat(Math.max(0, width - strWidth(text)));
  const formatData = (name: string): string => {
    const columns = trendColumns.get(name);
    if (columns !== undefined) {
      return columns
        .map((text, i) => `${stats[i]}=${decorate(text, COLOR.cyan)}${pad(text, trendWidths[i] ?? 0)}`)
        .join(' ');
    }
    const value = values.get(name) ?? '';
    let text = decorate(value, COLOR.cyan) + pad(value, valueWidth);
    const rest = extras.get(name) ?? [];
    if (rest.length === 1) {
      text += ` ${decorate(rest[0] ?? '', COLOR.cyan, COLOR.faint)}`;
    } else if (rest.length > 1) {
      text += ` ${rest.map((extra, i) => decorate(extra, COLOR.cyan, COLOR.faint) + pad(extra, extraWidths[i] ?? 0)).join(' ')}`;
    }
    return text;
  };

  return [...names].sort(compareMetricNames).map((name) => {
    const metric = data.metrics[name] as SummaryMetric;
    let mark = ' ';
    let color: (text: string) => string = (text) => text;
    if (metric.thresholds !== undefined) {
      const failed = Object.values(metric.thresholds).some((threshold) => !threshold.ok);
      mark = failed ? FAIL_MARK : SUCCESS_MARK;
      color = (text) => decorate(text, failed ? COLOR.red : COLOR.green);
    }
    const nameIndent = metricIndent(name);
    const shown = displayName(name);
    const dots = decorate(`${'.'.repeat(nameWidth - strWidth(shown) - strWidth(nameIndent) + 3)}:`, COLOR.faint);
    return `${indent}${nameIndent}${color(mark)} ${shown}${dots} ${formatData(name)}`;
  });
}

/** Width on screen: code points after NFKC, ANSI escapes excluded (as the jslib counts). */
export function strWidth(text: string): number {
  let width = 0;
  let inEscape = false;
  let inLongEscape = false;
  for (const char of text.normalize('NFKC')) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '\x1b') {
      inEscape = true;
      continue;
    }
    if (inEscape && char === '[') {
      inLongEscape = true;
      continue;
    }
    if (inEscape && inLongEscape && code >= 0x40 && code <= 0x7e) {
      inEscape = false;
      inLongEscape = false;
      continue;
    }
    if (inEscape && !inLongEscape && code >= 0x40 && code <= 0x5f) {
      inEscape = false;
      continue;
    }
    if (!inEscape && !inLongEscape) width++;
  }
  return width;
}

