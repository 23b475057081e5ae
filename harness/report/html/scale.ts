/** Axis limits shared by the side-by-side charts, so the architectures are drawn to one scale. */

/** The smallest 1, 2, 2.5 or 5 × 10^k at or above the value (at least `floor`). */
export function niceCeil(value: number, floor = 1): number {
  const target = Math.max(value, floor);
  const power = 10 ** Math.floor(Math.log10(target));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= target) return step * power;
  return 10 * power;
}

/** Powers of ten around a range, for a log axis. */
export function logBounds(min: number, max: number): { min: number; max: number } {
  const low = min > 0 ? 10 ** Math.floor(Math.log10(min)) : 1;
  const high = 10 ** Math.ceil(Math.log10(Math.max(max, low * 10)));
  return { min: low, max: high };
}
