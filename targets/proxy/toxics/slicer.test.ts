import { describe, expect, it } from 'vitest';
import { sliceSizes } from './slicer.ts';

describe('slicer piece sizes', () => {
  it('cut a chunk into pieces of average ± variation, the last one the rest', () => {
    for (let run = 0; run < 200; run += 1) {
      const total = 1 + Math.floor(Math.random() * 5000);
      const sizes = sliceSizes(total, 100, 30);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(total);
      for (const size of sizes.slice(0, -1)) {
        expect(size).toBeGreaterThanOrEqual(70);
        expect(size).toBeLessThanOrEqual(130);
      }
      expect(sizes[sizes.length - 1]).toBeGreaterThanOrEqual(1);
      expect(sizes[sizes.length - 1]).toBeLessThanOrEqual(130);
    }
  });

  it('leave a chunk no larger than average + variation whole', () => {
    expect(sliceSizes(130, 100, 30)).toEqual([130]);
    expect(sliceSizes(1, 1, 0)).toEqual([1]);
    expect(sliceSizes(5, 1, 0)).toEqual([1, 1, 1, 1, 1]);
  });
});
