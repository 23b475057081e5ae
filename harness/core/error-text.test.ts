import { describe, expect, it } from 'vitest';
import { readable } from './error-text.ts';

describe('error messages for a person', () => {
  it('are cut to 1,000 characters a line and 40 lines, saying how much was cut', () => {
    expect(readable('short\nmessage')).toBe('short\nmessage');
    const long = readable(`path: ${'x'.repeat(2_000_000)}`);
    expect(long.length).toBeLessThan(1100);
    expect(long).toMatch(/… \(1999006 more characters\)$/);
    const many = readable(Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n')).split('\n');
    expect(many).toHaveLength(41);
    expect(many.at(-1)).toBe('… (60 more lines)');
  });

  it('count characters, not UTF-16 units, so an emoji is never split', () => {
    const text = readable('😀'.repeat(1500));
    expect(text.startsWith('😀'.repeat(1000))).toBe(true);
    expect(text).toContain('… (500 more characters)');
  });
});
