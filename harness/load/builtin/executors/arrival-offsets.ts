/**
 * The schedule of the arrival-rate executors: when each iteration starts, from the rates of the
 * stages (the open model's plan, independent of how long iterations take).
 */
import type { Stage } from '../options.ts';

/**
 * Start offsets (ms from the scenario start) of the iterations: the i-th starts when the integral
 * of the rate reaches i. Rates are per timeUnit and change linearly within a stage.
 */
export function arrivalOffsets(startRate: number, stages: readonly Stage[], timeUnitMs: number): () => number | undefined {
  let i = 0;
  let stageIndex = 0;
  let stageStart = 0;
  let countAtStageStart = 0;
  let from = startRate;
  return () => {
    for (;;) {
      const stage = stages[stageIndex];
      if (!stage) return undefined;
      const d = stage.durationMs;
      const r0 = from / timeUnitMs;
      const r1 = stage.target / timeUnitMs;
      const countInStage = ((r0 + r1) / 2) * d;
      const need = i - countAtStageStart;
      if (need < countInStage - 1e-9) {
        // Solve r0*x + (r1-r0)/(2d)*x^2 = need for x in [0, d].
        const a = d === 0 ? 0 : (r1 - r0) / (2 * d);
        let x: number;
        if (Math.abs(a) < 1e-15) x = r0 === 0 ? 0 : need / r0;
        else x = (-r0 + Math.sqrt(Math.max(0, r0 * r0 + 4 * a * need))) / (2 * a);
        i++;
        return stageStart + Math.min(d, Math.max(0, x));
      }
      countAtStageStart += countInStage;
      stageStart += d;
      from = stage.target;
      stageIndex++;
    }
  };
}
