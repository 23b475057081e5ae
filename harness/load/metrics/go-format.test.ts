import { describe, expect, it } from 'vitest';
import { goFloat, goJsonString, goJsonStringMap } from './go-json.ts';
import { createRfc3339Formatter, formatGoDuration, parseK6Duration } from './go-time.ts';

describe('goJsonString (easyjson escaping)', () => {
  it('passes plain strings through', () => {
    expect(goJsonString('::login')).toBe('"::login"');
    expect(goJsonString('µs ✓ é')).toBe('"µs ✓ é"');
  });

  it('escapes quotes, backslashes and control characters', () => {
    expect(goJsonString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(goJsonString('\n\r\t\u0001\u001f')).toBe('"\\n\\r\\t\\u0001\\u001f"');
  });

  it('escapes HTML characters unless told not to, as Go does for thresholds', () => {
    expect(goJsonString('p(95)<500 && x>1')).toBe('"p(95)\\u003c500 \\u0026\\u0026 x\\u003e1"');
    expect(goJsonString('p(95)<500', false)).toBe('"p(95)<500"');
  });

  it('escapes U+2028/9 and replaces lone surrogates', () => {
    expect(goJsonString('a\u2028b\u2029')).toBe('"a\\u2028b\\u2029"');
    expect(goJsonString('x\ud800y')).toBe('"x\\ufffdy"');
    expect(goJsonString('😀')).toBe('"😀"');
  });

  it('always produces valid JSON that round-trips', () => {
    for (const text of ['', 'plain', '"<&>"', '\u0000\u007f', 'emoji 😀 and \u2028']) {
      expect(JSON.parse(goJsonString(text))).toBe(text);
    }
  });

  it('writes tag maps with sorted keys', () => {
    expect(goJsonStringMap({ status: '200', method: 'GET', group: '' })).toBe('{"group":"","method":"GET","status":"200"}');
    expect(goJsonStringMap({})).toBe('{}');
  });
});

describe('goFloat (strconv g, shortest)', () => {
  it.each([
    [0, '0'],
    [1, '1'],
    [22.070131, '22.070131'],
    [0.002033, '0.002033'],
    [0.0001, '0.0001'],
    [0.00009, '9e-05'],
    [1.5e-7, '1.5e-07'],
    [999999, '999999'],
    [1e6, '1e+06'],
    [1234567, '1.234567e+06'],
    [-2.5e21, '-2.5e+21'],
    [1e100, '1e+100'],
    [-0, '-0'],
  ])('%s → %s', (value, text) => {
    expect(goFloat(value)).toBe(text);
  });
});

describe('RFC 3339 times', () => {
  const format = createRfc3339Formatter();
  const second = Date.parse('2026-11-28T20:30:36Z');

  it('prints the fraction to the microsecond with trailing zeros trimmed, as Go does', () => {
    expect(format(second + 606.392)).toBe('2026-11-28T20:30:36.606392Z');
    expect(format(second + 606.6)).toBe('2026-11-28T20:30:36.6066Z');
    expect(format(second + 500)).toBe('2026-11-28T20:30:36.5Z');
    expect(format(second)).toBe('2026-11-28T20:30:36Z');
  });

  it('carries a fraction that rounds up to the next second', () => {
    expect(format(second + 999.9999)).toBe('2026-11-28T20:30:37Z');
  });
});

describe('Go durations', () => {
  it.each([
    [0, '0s'],
    [10_000, '10s'],
    [1500, '1.5s'],
    [90_000, '1m30s'],
    [3_600_000, '1h0m0s'],
    [0.5, '500µs'],
    [1.5, '1.5ms'],
    [0.0001, '100ns'],
  ])('%s ms → %s', (ms, text) => {
    expect(formatGoDuration(ms)).toBe(text);
  });

  it('parses k6 durations to milliseconds', () => {
    expect(parseK6Duration('10s')).toBe(10_000);
    expect(parseK6Duration('1m30s')).toBe(90_000);
    expect(parseK6Duration('1.5h')).toBe(5_400_000);
    expect(parseK6Duration('1d')).toBe(86_400_000);
    expect(parseK6Duration('250ms')).toBe(250);
    expect(parseK6Duration('0')).toBe(0);
    expect(parseK6Duration(1500)).toBe(1500);
    expect(parseK6Duration('10')).toBeUndefined();
    expect(parseK6Duration('10x')).toBeUndefined();
    expect(parseK6Duration('')).toBeUndefined();
    expect(parseK6Duration(true)).toBeUndefined();
  });
});
