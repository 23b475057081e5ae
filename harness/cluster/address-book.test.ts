import { describe, expect, it } from 'vitest';
import { AddressBook } from './address-book.ts';

describe('AddressBook', () => {
  it('maps an address to the replica that held it at the time, when Docker reuses it', () => {
    const book = new AddressBook();
    book.record('10.0.0.3', 'app-2', 1000);
    book.record('10.0.0.3', 'app-5', 9000);
    expect(book.holderAt('10.0.0.3', 5000)).toBe('app-2');
    expect(book.holderAt('10.0.0.3', 9500)).toBe('app-5');
    expect(book.holderAt('10.0.0.3')).toBe('app-5');
    // Before anyone was recorded: the first holder, the only one that can explain it.
    expect(book.holderAt('10.0.0.3', 10)).toBe('app-2');
    expect(book.holderAt('10.0.0.9', 5000)).toBeUndefined();
    expect(book.holderAt(undefined)).toBeUndefined();
  });

  it('does not add a period when the same replica is recorded again', () => {
    const book = new AddressBook();
    book.record('10.0.0.3', 'app-1', 1000);
    book.record('10.0.0.3', 'app-1', 2000);
    book.record('10.0.0.3', 'app-4', 3000);
    expect(book.holderAt('10.0.0.3', 1500)).toBe('app-1');
    expect(book.holderAt('10.0.0.3', 3000)).toBe('app-4');
  });
});
