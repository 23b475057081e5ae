/**
 * When the built-in engine counts as saturated: the decision over its own figures (measured by
 * self-monitor.ts), and the warning it prints. Pure, so the rule is tested without timing.
 *
 * The rule. Saturated when any of:
 *  - the event-loop delay's p99 over the whole window exceeds 10 ms: one request in a hundred waits
 *    more than 10 ms in the engine before its response is even noticed, which is the order of the
 *    target latencies the harness compares;
 *  - the process's CPU averages ≥ 0.9 of one core over the whole window: the VUs share one thread,
 *    so at ~0.9 there is no slack left once GC and the occasional burst are counted;
 *  - ≥ 3 consecutive ~1 s slices each use ≥ 0.95 of one core: a stretch of a whole core within a
 *    longer run (whose average alone would hide it). Three seconds so one GC-heavy or JIT-heavy
 *    second does not count; slices under 0.5 s (the last one) do not count, their CPU is too noisy.
 * CPU is the whole process's (all threads, GC helpers included), in units of one core. The window
 * runs from the test's start (after VU init, setup() included) to the end of the scenarios.
 * The delay also counts time the host kept the process off the CPU (other processes, the target's
 * containers on the same machine): that inflates measured latencies just the same, so it counts; a
 * high delay with a low CPU fraction says the host, not the engine's own work, was the cause.
 */
import type { LoadGeneratorSecond, LoadGeneratorStats, SaturationBounds } from '../../load-generator-stats.ts';

export const SATURATION_BOUNDS: Readonly<SaturationBounds> = Object.freeze({
  delayP99Ms: 10,
  coreFractionAverage: 0.9,
  coreFractionSustained: 0.95,
  sustainedSeconds: 3,
  minSliceMs: 500,
});

export function ruleText(b: SaturationBounds): string {
  return (
    `saturated when the event-loop delay p99 over the run exceeds ${b.delayP99Ms} ms, ` +
    `or the process's CPU averages at least ${b.coreFractionAverage} of one core over the run, ` +
    `or at least ${b.coreFractionSustained} of one core in ${b.sustainedSeconds} consecutive 1 s slices (slices under ${b.minSliceMs} ms not counted)`
  );
}

/** What the decision reads: the whole window's figures and its slices. */
export type SaturationFigures = Pick<LoadGeneratorStats, 'eventLoopDelayMs' | 'cpu' | 'seconds'>;

export function judgeSaturation(figures: SaturationFigures, b: SaturationBounds = SATURATION_BOUNDS): { saturated: boolean; reasons: string[] } {
  const reasons: string[] = [];
  const delay = figures.eventLoopDelayMs;
  if (delay.p99 > b.delayP99Ms) reasons.push(`event-loop delay p99 ${ms(delay.p99)} > ${b.delayP99Ms} ms`);
  const cpu = figures.cpu;
  if (cpu.coreFraction >= b.coreFractionAverage) {
    reasons.push(`CPU ${cpu.coreFraction.toFixed(2)} of one core averaged over ${(cpu.wallMs / 1000).toFixed(1)} s >= ${b.coreFractionAverage}`);
  }
  const stretch = longestBusyStretch(figures.seconds, b);
  if (stretch && stretch.length >= b.sustainedSeconds) {
    reasons.push(`CPU >= ${b.coreFractionSustained} of one core for ${stretch.length} consecutive seconds from t=${stretch.from} s`);
  }
  return { saturated: reasons.length > 0, reasons };
}

/** The longest run of consecutive countable slices at or above the sustained bound. */
function longestBusyStretch(seconds: readonly LoadGeneratorSecond[], b: SaturationBounds): { from: number; length: number } | undefined {
  let best: { from: number; length: number } | undefined;
  let current: { from: number; length: number } | undefined;
  for (const s of seconds) {
    if (s.wallMs >= b.minSliceMs && s.coreFraction >= b.coreFractionSustained) {
      current = current ? { from: current.from, length: current.length + 1 } : { from: s.t, length: 1 };
      if (!best || current.length > best.length) best = current;
    } else if (s.wallMs >= b.minSliceMs) {
      current = undefined;
    }
    // A short slice (the last) neither extends nor breaks a stretch.
  }
  return best;
}

/** The one warning line's message (the logger adds the level and time). */
export function saturationWarning(stats: LoadGeneratorStats): string {
  const d = stats.eventLoopDelayMs;
  const c = stats.cpu;
  return (
    `load generator saturated: ${stats.reasons.join('; ')}; latencies in this run may be inflated by the load generator ` +
    `(event-loop delay p50 ${ms(d.p50)}, p99 ${ms(d.p99)}, max ${ms(d.max)}; CPU ${c.coreFraction.toFixed(2)} of one core over ${(c.wallMs / 1000).toFixed(1)} s)`
  );
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}
