import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRfc3339Formatter } from './go-time.ts';
import { K6Output, type K6OutputResult } from './k6-output.ts';
import {
  REFERENCE_THRESHOLDS,
  referenceJson,
  referenceNdjson,
  type ReferenceLine,
} from './reference-fixture.ts';
import { formatSummaryExport } from './summary-export.ts';
import type { SummaryData } from './summary-types.ts';

/**
 * Replays the samples of a real k6 v0.49 run through our output layer and compares what we write
 * with what k6 wrote for the same run.
 */
describe('conformance with real k6 v0.49 output', () => {
  const expectedSummary = referenceJson('handle-summary-data.json') as SummaryData;
  let dir: string;
  let lines: ReferenceLine[];
  let result: K6OutputResult;
  let ndjsonPath: string;
  let exportPath: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'k6-conformance-'));
    ndjsonPath = join(dir, 'out.ndjson');
    exportPath = join(dir, 'summary-export.json');
    lines = referenceNdjson();
    const output = new K6Output({ ndjsonPath });
    for (const line of lines) if (line.definition !== undefined) output.define(line.definition);
    output.configureThresholds({ thresholds: REFERENCE_THRESHOLDS });
    for (const line of lines) if (line.sample !== undefined) output.add(line.sample);
    result = await output.finish({
      testRunDurationMs: expectedSummary.state.testRunDurationMs,
      setupData: expectedSummary.setup_data,
      summaryExportPath: exportPath,
    });
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the same NDJSON, byte for byte apart from sub-microsecond digits of times', () => {
    const format = createRfc3339Formatter();
    const ours = readFileSync(ndjsonPath, 'utf8').split('\n');
    expect(ours.pop()).toBe('');
    const expected = lines.map((line) =>
      line.kind === 'Metric' || line.time === undefined || line.sample === undefined
        ? line.raw
        : line.raw.replace(`"time":"${line.time}"`, `"time":"${format(line.sample.time)}"`),
    );
    expect(ours.length).toBe(expected.length);
    for (let i = 0; i < expected.length; i++) expect(ours[i], `line ${i + 1}`).toBe(expected[i]);
  });

  it('builds the handleSummary object k6 built: same metrics, types, values and thresholds', () => {
    const ours = result.summary;
    expect(Object.keys(ours).sort()).toEqual(Object.keys(expectedSummary).sort());
    expect(Object.keys(ours.metrics).sort()).toEqual(Object.keys(expectedSummary.metrics).sort());
    for (const [name, metric] of Object.entries(expectedSummary.metrics)) {
      const mine = ours.metrics[name];
      expect(mine?.type, name).toBe(metric.type);
      expect(mine?.contains, name).toBe(metric.contains);
      expect(mine?.thresholds, name).toEqual(metric.thresholds);
      expect(Object.keys(mine?.values ?? {}).sort(), name).toEqual(Object.keys(metric.values).sort());
      for (const [stat, value] of Object.entries(metric.values)) {
        // Same samples, same arithmetic (k6's percentile interpolation, sequential sums): same doubles.
        expect(mine?.values[stat], `${name} ${stat}`).toBe(value);
      }
    }
    expect(ours.options).toEqual(expectedSummary.options);
    expect(ours.state.testRunDurationMs).toBe(expectedSummary.state.testRunDurationMs);
    expect(ours.setup_data).toEqual(expectedSummary.setup_data);
  });

  it('rebuilds the group and check tree with k6 ids and counts', () => {
    expect(result.summary.root_group).toEqual(expectedSummary.root_group);
  });

  it('passes the same thresholds', () => {
    expect(result.thresholdsFailed).toBe(false);
    expect(result.breached).toEqual([]);
  });

  it('writes the legacy summary export with the layout of summary-export.json', () => {
    const expected = referenceJson('summary-export.json') as Record<string, unknown>;
    const ours = JSON.parse(readFileSync(exportPath, 'utf8')) as Record<string, unknown>;
    expect(readFileSync(exportPath, 'utf8')).toBe(formatSummaryExport(result.summary));
    expect(shape(ours)).toEqual(shape(expected));
    const oursMetrics = ours['metrics'] as Record<string, Record<string, unknown>>;
    const expectedMetrics = expected['metrics'] as Record<string, Record<string, unknown>>;
    for (const [name, values] of Object.entries(expectedMetrics)) {
      for (const [key, value] of Object.entries(values)) {
        if (typeof value === 'number') expect(oursMetrics[name]?.[key], `${name} ${key}`).toBeCloseTo(value, 9);
        else expect(oursMetrics[name]?.[key], `${name} ${key}`).toEqual(value);
      }
    }
    expect(ours['root_group']).toEqual(expected['root_group']);
  });
});

/** Keys at every level, sorted, with leaves replaced by their type: the structure without values. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, shape((value as Record<string, unknown>)[key])]),
    );
  }
  return typeof value;
}
