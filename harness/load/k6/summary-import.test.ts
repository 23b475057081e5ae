import { describe, expect, it } from 'vitest';
import { REFERENCE_DIR, referenceJson } from '../metrics/reference-fixture.ts';
import type { SummaryData } from '../metrics/summary-types.ts';
import { exportedMetricNames, readMetricDefinitions, summaryFromExport } from './summary-import.ts';

describe('summaryFromExport', () => {
  const exported = referenceJson('summary-export.json');
  const expected = referenceJson('handle-summary-data.json') as SummaryData;

  it("rebuilds k6's handleSummary data from its summary export and NDJSON of the same run", async () => {
    const wanted = exportedMetricNames(exported);
    const definitions = await readMetricDefinitions(`${REFERENCE_DIR}k6-out.ndjson`, wanted);
    expect([...wanted].every((name) => definitions.has(name))).toBe(true);
    const summary = summaryFromExport(exported, { definitions, testRunDurationMs: expected.state.testRunDurationMs });
    expect(summary.root_group).toEqual(expected.root_group);
    expect(summary.options).toEqual(expected.options);
    expect(summary.setup_data).toEqual(expected.setup_data);
    expect(summary.metrics).toEqual(expected.metrics);
  });

  it('falls back on built-in metric definitions and value keys without an NDJSON file', () => {
    const summary = summaryFromExport(
      { metrics: { custom_rate: { passes: 1, fails: 1, value: 0.5 }, custom_gauge: { value: 3, min: 1, max: 3 }, iterations: { count: 2, rate: 1 } } },
      { definitions: new Map(), testRunDurationMs: 10 },
    );
    expect(summary.metrics).toEqual({
      custom_rate: { type: 'rate', contains: 'default', values: { passes: 1, fails: 1, rate: 0.5 } },
      custom_gauge: { type: 'gauge', contains: 'default', values: { value: 3, min: 1, max: 3 } },
      iterations: { type: 'counter', contains: 'default', values: { count: 2, rate: 1 } },
    });
    expect(summary.root_group).toEqual({ name: '', path: '', id: '', groups: [], checks: [] });
  });
});
