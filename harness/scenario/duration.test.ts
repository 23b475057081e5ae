import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration, parsePercent } from './duration.ts';

describe('durations', () => {
  it.each([
    ['20s', 20_000],
    ['1m30s', 90_000],
    ['1500ms', 1500],
    ['1.5s', 1500],
    ['2h', 7_200_000],
    ['1h1m1s1ms', 3_661_001],
    ['0s', 0],
  ])('parses %s as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['10', '', 's', '1m30', '-5s', '5 s', '5sec', '1.s', '33%'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('parses percentages only with a % sign', () => {
    expect(parsePercent('33%')).toBe(33);
    expect(parsePercent('12.5%')).toBe(12.5);
    expect(parsePercent('33')).toBeUndefined();
    expect(parsePercent('%')).toBeUndefined();
  });

  it.each([
    [250, '250ms'],
    [1500, '1.5s'],
    [60_000, '1m'],
    [90_000, '1m30s'],
    [3_600_000, '1h'],
  ])('formats %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
    expect(parseDuration(text)).toBe(ms);
  });
});
