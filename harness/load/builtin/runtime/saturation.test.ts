import { describe, expect, it } from 'vitest';
import type { LoadGeneratorSecond, LoadGeneratorStats } from '../../load-generator-stats.ts';
import { judgeSaturation, ruleText, saturationWarning, SATURATION_BOUNDS, type SaturationFigures } from './saturation.ts';

function second(t: number, coreFraction: number, wallMs = 1000): LoadGeneratorSecond {
  return { t, wallMs, delayP99Ms: 0.2, delayMaxMs: 1, coreFraction };
}

function figures(over: { p99?: number; max?: number; coreFraction?: number; wallMs?: number; seconds?: LoadGeneratorSecond[] } = {}): SaturationFigures {
  const seconds = over.seconds ?? [second(0, 0.2), second(1, 0.2)];
  return {
    eventLoopDelayMs: { p50: 0.1, p99: over.p99 ?? 0.5, max: over.max ?? 2, samples: 400 },
    cpu: { userMs: 300, systemMs: 100, wallMs: over.wallMs ?? 2000, coreFraction: over.coreFraction ?? 0.2 },
    seconds,
  };
}

describe('the load generator saturation rule', () => {
  it('says nothing for an idle or moderately busy engine', () => {
    expect(judgeSaturation(figures())).toEqual({ saturated: false, reasons: [] });
    // Exactly at the delay bound is not over it; CPU just under both bounds.
    const busy = figures({ p99: 10, coreFraction: 0.89, seconds: [second(0, 0.94), second(1, 0.94), second(2, 0.94)] });
    expect(judgeSaturation(busy)).toEqual({ saturated: false, reasons: [] });
  });

  it('names the event-loop delay p99 when it exceeds 10 ms', () => {
    const verdict = judgeSaturation(figures({ p99: 24.96, max: 31.2 }));
    expect(verdict).toEqual({ saturated: true, reasons: ['event-loop delay p99 25.0 ms > 10 ms'] });
  });

  it('names the whole-run CPU average when it reaches 0.9 of one core', () => {
    const verdict = judgeSaturation(figures({ coreFraction: 0.9, wallMs: 2400 }));
    expect(verdict.reasons).toEqual(['CPU 0.90 of one core averaged over 2.4 s >= 0.9']);
  });

  it('needs 3 consecutive seconds at 0.95 of one core for a busy stretch inside a calmer run', () => {
    const calm = (t: number): LoadGeneratorSecond => second(t, 0.3);
    const two = [calm(0), second(1, 0.97), second(2, 0.99), calm(3), second(4, 0.96), calm(5)];
    expect(judgeSaturation(figures({ seconds: two })).saturated).toBe(false);
    const three = [calm(0), second(1, 0.97), second(2, 0.95), second(3, 1.02), calm(4), calm(5)];
    expect(judgeSaturation(figures({ seconds: three })).reasons).toEqual(['CPU >= 0.95 of one core for 3 consecutive seconds from t=1 s']);
  });

  it('lets a short last slice neither count towards nor break a busy stretch', () => {
    const shortEnd = [second(0, 0.99), second(1, 0.99), second(2, 1, 120)];
    expect(judgeSaturation(figures({ seconds: shortEnd })).saturated).toBe(false);
    // A slice stretched by a blocked loop (1.3 s) is a whole slice.
    const stretched = [second(0, 0.99), second(1, 0.99, 1300), second(2.3, 0.98), second(3.3, 0.2, 80)];
    expect(judgeSaturation(figures({ seconds: stretched })).saturated).toBe(true);
  });

  it('lists every bound crossed, and says them in the warning with the figures', () => {
    const f = figures({ p99: 25, max: 30, coreFraction: 0.99, seconds: [second(0, 0.99), second(1, 0.99), second(2, 0.99)] });
    const verdict = judgeSaturation(f);
    expect(verdict.reasons).toHaveLength(3);
    const stats: LoadGeneratorStats = {
      schemaVersion: 1,
      engine: 'builtin',
      startedAt: '2024-01-01T00:00:00.000Z',
      resolutionMs: 5,
      ...f,
      bounds: SATURATION_BOUNDS,
      rule: ruleText(SATURATION_BOUNDS),
      ...verdict,
    };
    expect(saturationWarning(stats)).toBe(
      'load generator saturated: event-loop delay p99 25.0 ms > 10 ms; CPU 0.99 of one core averaged over 2.0 s >= 0.9; ' +
        'CPU >= 0.95 of one core for 3 consecutive seconds from t=0 s; latencies in this run may be inflated by the load generator ' +
        '(event-loop delay p50 0.1 ms, p99 25.0 ms, max 30.0 ms; CPU 0.99 of one core over 2.0 s)',
    );
  });

  it('states the rule with its bounds', () => {
    expect(ruleText(SATURATION_BOUNDS)).toBe(
      'saturated when the event-loop delay p99 over the run exceeds 10 ms, or the process\'s CPU averages at least 0.9 of one core over the run, ' +
        'or at least 0.95 of one core in 3 consecutive 1 s slices (slices under 500 ms not counted)',
    );
  });
});
