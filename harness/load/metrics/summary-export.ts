import type { SummaryData, SummaryGroup } from './summary-types.ts';

/** The legacy `--summary-export` layout (summary-export.json), for a summary we built. */
export interface SummaryExport {
  root_group: SummaryExportGroup;
  metrics: Record<string, Record<string, number | Record<string, boolean>>>;
  setup_data?: unknown;
}

export interface SummaryExportGroup {
  name: string;
  path: string;
  id: string;
  groups: Record<string, SummaryExportGroup>;
  checks: Record<string, { name: string; path: string; id: string; passes: number; fails: number }>;
}

/**
 * Converts handleSummary data to the legacy export the way k6's summary wrapper does: metrics become
 * their values, thresholds become `{source: failed}` (true means it FAILED), a rate's `rate` becomes
 * `value`, and groups and checks become objects keyed by name.
 */
export function toSummaryExport(data: SummaryData): SummaryExport {
  const metrics: SummaryExport['metrics'] = {};
  for (const [name, metric] of Object.entries(data.metrics)) {
    const values: Record<string, number | Record<string, boolean>> = { ...metric.values };
    if (metric.thresholds !== undefined && Object.keys(metric.thresholds).length > 0) {
      const failed: Record<string, boolean> = {};
      for (const [source, verdict] of Object.entries(metric.thresholds)) failed[source] = !verdict.ok;
      values['thresholds'] = failed;
    }
    if (metric.type === 'rate' && Object.hasOwn(values, 'rate')) {
      values['value'] = values['rate'] as number;
      delete values['rate'];
    }
    metrics[name] = values;
  }
  const result: SummaryExport = { root_group: exportGroup(data.root_group), metrics };
  if (data.setup_data !== undefined) result.setup_data = data.setup_data;
  return result;
}

/** The file's text: k6 writes JSON.stringify(…, null, 4). */
export function formatSummaryExport(data: SummaryData): string {
  return JSON.stringify(toSummaryExport(data), null, 4);
}

function exportGroup(group: SummaryGroup): SummaryExportGroup {
  const groups: SummaryExportGroup['groups'] = {};
  for (const child of group.groups) groups[child.name] = exportGroup(child);
  const checks: SummaryExportGroup['checks'] = {};
  for (const check of group.checks) checks[check.name] = { ...check };
  return { name: group.name, path: group.path, id: group.id, groups, checks };
}
