/**
 * Measures the engine itself while the scenarios run: how late its event loop runs
 * (perf_hooks.monitorEventLoopDelay) and how much CPU the process uses (process.cpuUsage deltas over
 * wall time), over the whole window and per ~1 s slice, then applies the rule in saturation.ts.
 *
 * Resolution 5 ms: monitorEventLoopDelay records the interval between its timer's runs, so a stall
 * is known to within the resolution — 5 ms is half the 10 ms bound, where the 10 ms default could
 * read a 12 ms stall as 2 ms. Going finer (1 ms) would not help: the histogram counts samples, not
 * time, and an idle loop yields one sample per resolution while a stall yields one, so the finer
 * the resolution the more idle samples drown the stalls in a p99. 5 ms gives ~200 samples per idle
 * second (a per-second p99 still means something) at the cost of ~200 timer runs a second.
 * The recorded interval includes the resolution itself (an idle loop reads ~5.1 ms); it is subtracted.
 *
 * Two monitors, because an ELD histogram can neither be merged into another nor read per slice
 * without reset: one for the whole window, one reset at every slice.
 *
 * Both figures are the process's: in the engine's own process (the default) they are the engine's;
 * run in-process (HARNESS_BUILTIN_IN_PROCESS=1, or no bundle) they include the caller's work too.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { LoadGeneratorSecond, LoadGeneratorStats } from '../../load-generator-stats.ts';
import { judgeSaturation, ruleText, SATURATION_BOUNDS } from './saturation.ts';
import { now } from './clock.ts';

export const RESOLUTION_MS = 5;
const SLICE_MS = 1000;
/** A slice shorter than this at the end has too few samples to mean anything; its figures still count in the whole window. */
const MIN_REPORTED_SLICE_MS = 100;

export interface SelfMonitor {
  /** Stops measuring and returns the figures; later calls return the same figures. */
  stop(): LoadGeneratorStats;
}

/** `startedAt` is the test's start: the figures' `startedAt` is then the very time the engine announces. */
export function startSelfMonitor(startedAt = now()): SelfMonitor {
  const whole = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  const slice = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  const cpuAtStart = process.cpuUsage();
  const seconds: LoadGeneratorSecond[] = [];
  let sliceStart = startedAt;
  let sliceCpu = cpuAtStart;
  whole.enable();
  slice.enable();

  const closeSlice = (final: boolean): void => {
    const t = now();
    const cpu = process.cpuUsage();
    const wallMs = t - sliceStart;
    if (!final || wallMs >= MIN_REPORTED_SLICE_MS) {
      seconds.push({
        t: round((sliceStart - startedAt) / 1000, 3),
        wallMs: round(wallMs, 1),
        delayP99Ms: delayMs(slice, slice.percentile(99)),
        delayMaxMs: delayMs(slice, slice.max),
        coreFraction: round(cpuMs(cpu, sliceCpu) / Math.max(wallMs, 1), 3),
      });
    }
    slice.reset();
    sliceStart = t;
    sliceCpu = cpu;
  };
  // Unref'd: the run keeps the process alive; a blocked loop only makes this slice longer.
  const timer = setInterval(() => closeSlice(false), SLICE_MS);
  timer.unref();

  let stats: LoadGeneratorStats | undefined;
  return {
    stop() {
      if (stats) return stats;
      clearInterval(timer);
      closeSlice(true);
      whole.disable();
      slice.disable();
      const usage = process.cpuUsage(cpuAtStart);
      const wallMs = now() - startedAt;
      const figures = {
        eventLoopDelayMs: {
          p50: delayMs(whole, whole.percentile(50)),
          p99: delayMs(whole, whole.percentile(99)),
          max: delayMs(whole, whole.max),
          samples: whole.count,
        },
        cpu: {
          userMs: round(usage.user / 1000, 1),
          systemMs: round(usage.system / 1000, 1),
          wallMs: round(wallMs, 1),
          coreFraction: round((usage.user + usage.system) / 1000 / Math.max(wallMs, 1), 3),
        },
        seconds,
      };
      const bounds = { ...SATURATION_BOUNDS };
      stats = {
        schemaVersion: 1,
        engine: 'builtin',
        startedAt: new Date(startedAt).toISOString(),
        resolutionMs: RESOLUTION_MS,
        ...figures,
        bounds,
        rule: ruleText(bounds),
        ...judgeSaturation(figures, bounds),
      };
      return stats;
    },
  };
}

/** A histogram value (ns, resolution included) as a delay in ms; 0 when nothing was recorded. */
function delayMs(h: IntervalHistogram, ns: number): number {
  if (h.count === 0) return 0;
  return round(Math.max(0, ns / 1e6 - RESOLUTION_MS), 2);
}

function cpuMs(at: NodeJS.CpuUsage, since: NodeJS.CpuUsage): number {
  return (at.user - since.user + at.system - since.system) / 1000;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
