import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from './did-you-mean.ts';

describe('didYouMean', () => {
  const keys = ['at', 'action', 'target', 'count', 'for'];
  it('suggests the close key for a typo', () => {
    expect(didYouMean('tagret', keys)).toBe('target');
    expect(didYouMean('acton', keys)).toBe('action');
    expect(didYouMean('Count', keys)).toBe('count');
    expect(didYouMean('replica', ['replicas', 'maxReplicas'])).toBe('replicas');
  });
  it('suggests nothing for an unrelated word', () => {
    expect(didYouMean('colour', keys)).toBeUndefined();
    expect(didYouMean('id', keys)).toBeUndefined();
  });
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('tagret', 'target')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
