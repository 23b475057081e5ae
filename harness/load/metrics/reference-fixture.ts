import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MetricDefinition, Sample } from '../contract.ts';

/**
 * Reads shared/k6-reference/v0.49.0 (real k6 output of one run: NDJSON, summary export and
 * handleSummary data all come from the same run) for the conformance tests.
 */
export const REFERENCE_DIR = fileURLToPath(new URL('../../../../shared/k6-reference/v0.49.0/', import.meta.url));

export function referenceText(file: string): string {
  return readFileSync(`${REFERENCE_DIR}${file}`, 'utf8');
}

export function referenceJson(file: string): unknown {
  return JSON.parse(referenceText(file));
}

/** The thresholds of script.js, in the order it declares them. */
export const REFERENCE_THRESHOLDS = {
  http_req_failed: ['rate<0.5'],
  'http_req_duration{scenario:journey}': ['p(95)<500'],
  session_lost: ['rate==0'],
  checks: ['rate>0.9'],
};

export interface ReferenceLine {
  raw: string;
  kind: 'Metric' | 'Point';
  definition?: MetricDefinition;
  sample?: Sample;
  /** The time string exactly as k6 wrote it. */
  time?: string;
}

/** "2026-11-28T20:30:36.583329614Z" → epoch ms with the fraction kept to the nanosecond's double. */
export function parseRfc3339Nano(text: string): number {
  const match = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(text);
  if (match === null) throw new Error(`not an RFC 3339 UTC time: ${text}`);
  const seconds = Date.parse(`${match[1]}Z`);
  const nanos = Number((match[2] ?? '').padEnd(9, '0'));
  return seconds + nanos / 1e6;
}

export function referenceNdjson(): ReferenceLine[] {
  return referenceText('k6-out.ndjson')
    .split('\n')
    .filter((line) => line !== '')
    .map((raw) => {
      const parsed = JSON.parse(raw) as {
        type: 'Metric' | 'Point';
        metric: string;
        data: { name: string; type: MetricDefinition['type']; contains: MetricDefinition['contains']; time: string; value: number; tags: Record<string, string> };
      };
      if (parsed.type === 'Metric') {
        return { raw, kind: 'Metric', definition: { name: parsed.data.name, type: parsed.data.type, contains: parsed.data.contains } };
      }
      const sample: Sample = {
        metric: parsed.metric,
        time: parseRfc3339Nano(parsed.data.time),
        value: parsed.data.value,
        tags: parsed.data.tags,
      };
      return { raw, kind: 'Point', sample, time: parsed.data.time };
    });
}
