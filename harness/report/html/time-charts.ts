import type { FaultAction } from '../../core/fault-actions.ts';
import type { TrialResult } from '../../analysis/index.ts';
import { faultLabel, measuredFaults } from '../../verdict/index.ts';
import type { ChartOption } from './charts.ts';
import { faultColour, SERIES, sortReplicas } from './palette.ts';

/**
 * The per-second charts of one trial. Every one carries the trial's fault windows (a shaded area
 * from the fault's start to the end of its window, labelled with the action and targets, and a
 * dashed line at the start), so a spike can be read against the fault that caused it.
 */

/** Limits shared by every architecture's panel of the same chart. */
export interface SharedScales {
  maxSeconds: number;
  maxReqPerSec: number;
  maxErrorPercent: number;
  latency: { min: number; max: number };
}

export interface FaultMark {
  fromS: number;
  toS: number;
  label: string;
  action: FaultAction;
}

/** The fault windows of a trial, in seconds from t0, cut to the trial. */
export function faultMarks(trial: TrialResult): FaultMark[] {
  const endS = trial.durationMs / 1000;
  return measuredFaults(trial.faults).map((fault) => ({
    fromS: Math.min(fault.startMs / 1000, endS),
    toS: Math.min((fault.startMs + trial.faultWindowMs) / 1000, endS),
    label: faultLabel(fault).replace(/^fault /, ''),
    action: fault.action,
  }));
}

/** Adds the fault marks to a series (one series per chart carries them). */
function withFaultMarks(series: Record<string, unknown>, marks: readonly FaultMark[]): Record<string, unknown> {
  if (marks.length === 0) return series;
  return {
    ...series,
    markArea: {
      silent: true,
      // Above the series (ECharts draws mark areas at z 1, under a line's area fill at z 2).
      z: 3,
      data: marks.map((mark, index) => {
        const colour = faultColour(mark.action);
        return [
          {
            xAxis: mark.fromS,
            name: mark.label,
            itemStyle: { color: colour.area },
            // Faults close together would print their labels on top of each other: stagger them.
            label: {
              color: colour.text,
              fontSize: 10,
              fontWeight: 'bold',
              position: 'insideTopLeft',
              offset: [2, 14 * (index % 3)],
              // Readable over bars and stacked areas alike.
              backgroundColor: 'rgba(255, 255, 255, 0.85)',
              padding: [1, 3],
              borderRadius: 2,
            },
          },
          { xAxis: mark.toS },
        ];
      }),
    },
    markLine: {
      silent: true,
      symbol: 'none',
      label: { show: false },
      data: marks.map((mark) => ({ xAxis: mark.fromS, lineStyle: { color: faultColour(mark.action).line, type: 'dashed', width: 1.5 } })),
    },
  };
}

/** Bucket midpoints: a second's figures describe the whole second, not its start. */
const mid = (second: TrialResult['seconds'][number]): number => second.t + second.durationMs / 2000;

function timeAxis(scales: SharedScales): Record<string, unknown> {
  return {
    type: 'value',
    min: 0,
    max: scales.maxSeconds,
    axisLabel: { formatter: '{value} s', fontSize: 11 },
    splitLine: { show: false },
  };
}

const BASE = {
  grid: { left: 58, right: 58, top: 44, bottom: 30 },
  legend: { top: 4, itemGap: 18, itemWidth: 14, itemHeight: 8, textStyle: { fontSize: 11 } },
};

export function throughputChart(trial: TrialResult, scales: SharedScales): ChartOption {
  return {
    ...BASE,
    xAxis: timeAxis(scales),
    yAxis: [
      { type: 'value', name: 'req/s', min: 0, max: scales.maxReqPerSec, nameTextStyle: { fontSize: 11 }, axisLabel: { fontSize: 11 } },
      {
        type: 'value',
        name: 'errors',
        min: 0,
        max: scales.maxErrorPercent,
        axisLabel: { formatter: '{value} %', fontSize: 11 },
        nameTextStyle: { fontSize: 11 },
        splitLine: { show: false },
      },
    ],
    series: [
      withFaultMarks(
        {
          type: 'bar',
          name: 'req/s',
          barCategoryGap: '10%',
          itemStyle: { color: SERIES.throughput },
          data: trial.seconds.map((second) => [mid(second), second.reqPerSec]),
        },
        faultMarks(trial),
      ),
      ...slowSeries(trial),
      {
        type: 'line',
        name: 'error rate',
        yAxisIndex: 1,
        showSymbol: false,
        lineStyle: { width: 2, color: SERIES.errorRate },
        itemStyle: { color: SERIES.errorRate },
        data: trial.seconds.map((second) => [mid(second), second.errorRate === null ? '-' : second.errorRate * 100]),
      },
    ],
  };
}

/**
 * Slow requests per second of the fault windows, drawn over the req/s bars on the same axis (they are
 * a part of them). Overlapping windows count a second's slow requests once: the larger count.
 */
function slowSeries(trial: TrialResult): Array<Record<string, unknown>> {
  const bySecond = new Map<number, number>();
  for (const fault of measuredFaults(trial.faults)) {
    for (const { t, count } of fault.slowRequests.bySecond) bySecond.set(t, Math.max(bySecond.get(t) ?? 0, count));
  }
  if (bySecond.size === 0) return [];
  const durationOf = (t: number): number => trial.seconds[t]?.durationMs ?? 1000;
  return [
    {
      type: 'bar',
      name: 'slow requests',
      barGap: '-100%',
      barCategoryGap: '10%',
      itemStyle: { color: SERIES.slow },
      label: { show: true, position: 'top', fontSize: 10, color: SERIES.slow, formatter: '{@[1]}' },
      data: [...bySecond].sort((a, b) => a[0] - b[0]).map(([t, count]) => [t + durationOf(t) / 2000, count]),
    },
  ];
}

export function latencyChart(trial: TrialResult, scales: SharedScales): ChartOption {
  const line = (name: string, colour: string, pick: (latency: TrialResult['seconds'][number]['latency']) => number | null) => ({
    type: 'line',
    name,
    showSymbol: false,
    lineStyle: { width: 1.8, color: colour },
    itemStyle: { color: colour },
    data: trial.seconds.map((second) => {
      const value = pick(second.latency);
      return [mid(second), value === null ? '-' : Math.max(value, scales.latency.min)];
    }),
  });
  return {
    ...BASE,
    xAxis: timeAxis(scales),
    yAxis: {
      type: 'log',
      name: 'ms (log scale)',
      min: scales.latency.min,
      max: scales.latency.max,
      nameTextStyle: { fontSize: 11 },
      axisLabel: { fontSize: 11 },
    },
    series: [
      withFaultMarks(line('p50', SERIES.p50, (latency) => latency.p50Ms), faultMarks(trial)),
      line('p95', SERIES.p95, (latency) => latency.p95Ms),
      line('p99', SERIES.p99, (latency) => latency.p99Ms),
    ],
  };
}

export function replicaShareChart(trial: TrialResult, scales: SharedScales, colours: ReadonlyMap<string, string>): ChartOption {
  const replicas = sortReplicas(trial.seconds.flatMap((second) => Object.keys(second.shareByReplica)));
  const series = replicas.map((replica) => ({
    type: 'line',
    name: replica,
    stack: 'share',
    step: 'middle',
    showSymbol: false,
    lineStyle: { width: 0 },
    areaStyle: { opacity: 0.75, color: colours.get(replica) },
    itemStyle: { color: colours.get(replica) },
    data: trial.seconds.map((second) => {
      const served = Object.keys(second.shareByReplica).length > 0;
      return [mid(second), served ? (second.shareByReplica[replica] ?? 0) * 100 : '-'];
    }),
  }));
  const [first, ...rest] = series;
  return {
    ...BASE,
    xAxis: timeAxis(scales),
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value} %', fontSize: 11 } },
    series: first === undefined ? [] : [withFaultMarks(first, faultMarks(trial)), ...rest],
  };
}
