import type { ScaleOutFigures, TrialResult } from '../../analysis/index.ts';
import type { DetectionCause } from '../../analysis/figures/detection-cause.ts';
import { formatFigure, measuredFaults } from '../../verdict/index.ts';
import type { ChartOption } from './charts.ts';
import { architectureColour, SERIES } from './palette.ts';
import { niceCeil } from './scale.ts';

/** Charts per fault and per added replica, all architectures in one chart. */

const BASE = {
  legend: { top: 4, itemGap: 18, itemWidth: 14, itemHeight: 8, textStyle: { fontSize: 11 } },
};

/** "stateful\n#0 kill" */
const faultCategory = (architecture: string, index: number, action: string): string => `${architecture}\n#${index} ${action}`;

/**
 * Per fault that could cost sessions: the sessions open at it, those pinned to its target (expected
 * to lose only where sessions live in the replica) and those lost. A workload without sessions has
 * no bar at all.
 */
export function sessionLossChart(trials: readonly TrialResult[]): { option: ChartOption; categories: number } | undefined {
  const rows = trials.flatMap((trial) =>
    measuredFaults(trial.faults).flatMap((fault) => {
      const sessions = fault.sessions;
      if (sessions === null || (sessions.pinnedToTarget === null && sessions.lost === 0)) return [];
      return [{ category: faultCategory(trial.name, fault.index, fault.action), sessions }];
    }),
  );
  if (rows.length === 0) return undefined;
  const bar = (name: string, colour: string, pick: (row: (typeof rows)[number]) => number | null) => ({
    type: 'bar',
    name,
    barMaxWidth: 38,
    itemStyle: { color: colour },
    label: { show: true, position: 'top', fontSize: 11, formatter: '{c}' },
    data: rows.map((row) => pick(row) ?? '-'),
  });
  return {
    categories: rows.length,
    option: {
      ...BASE,
      grid: { left: 48, right: 20, top: 40, bottom: 48 },
      xAxis: { type: 'category', data: rows.map((row) => row.category), axisLabel: { fontSize: 11, interval: 0 } },
      yAxis: { type: 'value', name: 'sessions', min: 0, max: (extent: { max: number }) => Math.max(extent.max, 1), minInterval: 1, nameTextStyle: { fontSize: 11 } },
      series: [
        bar('open at the fault', SERIES.open, (row) => row.sessions.openAtFault),
        bar('pinned to the target', SERIES.expected, (row) => row.sessions.pinnedToTarget),
        bar('lost', SERIES.lost, (row) => row.sessions.lost),
      ],
    },
  };
}

const PHASES: ReadonlyArray<{ name: string; symbol: string; colour: string; pick: (replica: ScaleOutFigures) => number | null }> = [
  { name: 'created', symbol: 'circle', colour: '#9ca3af', pick: (r) => r.phases.created },
  { name: 'started', symbol: 'circle', colour: '#6b7280', pick: (r) => r.phases.started },
  { name: 'ready', symbol: 'diamond', colour: '#0891b2', pick: (r) => r.phases.ready },
  { name: 'in LB', symbol: 'rect', colour: '#2563eb', pick: (r) => r.phases.inLb },
  { name: 'first request', symbol: 'triangle', colour: '#16a34a', pick: (r) => r.firstRequestMs },
  { name: 'fair share', symbol: 'pin', colour: '#7c3aed', pick: (r) => r.fairShareMs },
];

/**
 * Scale-out phases per added replica as a timeline from T0: a bar to the last phase reached, a
 * marker per phase. Phases not reached have no marker; the table beside it says "not reached".
 */
export function scaleOutChart(trials: readonly TrialResult[]): { option: ChartOption; rows: number } | undefined {
  const rows = trials.flatMap((trial) => trial.scaleOut.map((replica) => ({ category: `${trial.name} · ${replica.replica}`, replica })));
  if (rows.length === 0) return undefined;
  const reached = (replica: ScaleOutFigures): number =>
    Math.max(0, ...PHASES.map((phase) => phase.pick(replica)).filter((value): value is number => value !== null));
  return {
    rows: rows.length,
    option: {
      ...BASE,
      grid: { left: 150, right: 30, top: 40, bottom: 34 },
      xAxis: { type: 'value', min: 0, name: 'ms after T0', nameLocation: 'middle', nameGap: 22, nameTextStyle: { fontSize: 11 }, axisLabel: { fontSize: 11 } },
      yAxis: { type: 'category', inverse: true, data: rows.map((row) => row.category), axisLabel: { fontSize: 11 } },
      series: [
        {
          type: 'bar',
          name: 'until the last phase reached',
          barWidth: 6,
          itemStyle: { color: '#e5e7eb' },
          data: rows.map((row) => reached(row.replica)),
        },
        ...PHASES.map((phase) => ({
          type: 'scatter',
          name: phase.name,
          symbol: phase.symbol,
          symbolSize: 11,
          itemStyle: { color: phase.colour },
          data: rows.flatMap((row, index) => {
            const value = phase.pick(row.replica);
            return value === null ? [] : [[value, index]];
          }),
        })),
      ],
    },
  };
}

/** What detected a fault, in a word that fits above a bar (the table beside it has the full words). */
const CAUSE_LABELS: Readonly<Record<DetectionCause, string>> = {
  'health-check': 'health check',
  'connection-refused': 'refused',
  dns: 'DNS',
  traffic: 'observe',
  admin: 'runtime API',
  unknown: '?',
};

/**
 * Recovery or detection time per fault, one bar per architecture. A fault that never recovered (or
 * was never detected) gets an empty bar labelled "never" so it cannot be mistaken for 0.
 */
export function perFaultTimeChart(trials: readonly TrialResult[], figure: 'recovery' | 'detection'): ChartOption | undefined {
  const indices = [...new Set(trials.flatMap((trial) => measuredFaults(trial.faults).filter((f) => figure === 'recovery' || f.detectionApplies).map((f) => f.index)))].sort(
    (a, b) => a - b,
  );
  if (indices.length === 0) return undefined;
  const actionOf = (index: number): string => trials.flatMap((trial) => trial.faults).find((fault) => fault.index === index)?.action ?? '';
  return {
    ...BASE,
    grid: { left: 64, right: 20, top: 40, bottom: 30 },
    xAxis: { type: 'category', data: indices.map((index) => `#${index} ${actionOf(index)}`), axisLabel: { fontSize: 11 } },
    // At least one second on the axis, so a chart of "never" bars is not drawn on a 0–1 ms scale.
    yAxis: { type: 'value', name: 'ms', min: 0, max: (extent: { max: number }) => Math.max(niceCeil(extent.max), 1000), nameTextStyle: { fontSize: 11 }, axisLabel: { fontSize: 11 } },
    series: trials.map((trial, trialIndex) => ({
      type: 'bar',
      name: trial.name,
      barMaxWidth: 38,
      itemStyle: { color: architectureColour(trial.name, trialIndex) },
      label: { show: true, position: 'top', fontSize: 10 },
      data: indices.map((index) => {
        const fault = measuredFaults(trial.faults).find((entry) => entry.index === index);
        if (fault === undefined || (figure === 'detection' && !fault.detectionApplies)) return '-';
        const value = figure === 'recovery' ? fault.recoveryMs : fault.detectionMs;
        if (value === null) return { value: 0, label: { formatter: 'never', color: '#991b1b', fontWeight: 'bold' } };
        // A fixed label per bar: ECharts' own formatting has no thousands separator. A detection says by what.
        const by = figure === 'detection' && fault.detectedBy !== null ? `\n${CAUSE_LABELS[fault.detectedBy]}` : '';
        // Without " ms" (the axis says it): two bars' labels side by side must not run into each other.
        return { value: Math.round(value), label: { formatter: `${formatFigure('ms', value).replace(/ ms$/, '')}${by}` } };
      }),
    })),
  };
}
