import { describe, expect, it } from 'vitest';
import { KeyedMutex, LockTimeoutError } from './keyed-mutex.ts';

const tick = (ms = 5): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('KeyedMutex', () => {
  it('runs tasks on one key one at a time, in arrival order, and other keys in parallel', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const task = (name: string) => async (): Promise<string> => {
      log.push(`${name}+`);
      await tick();
      log.push(`${name}-`);
      return name;
    };
    const results = await Promise.all([mutex.run(['a'], task('1')), mutex.run(['a'], task('2')), mutex.run(['b'], task('3'))]);
    expect(results).toEqual(['1', '2', '3']);
    expect(log.indexOf('1-')).toBeLessThan(log.indexOf('2+'));
    expect(log.indexOf('3+')).toBeLessThan(log.indexOf('1-'));
    expect(mutex.size).toBe(0);
  });

  it('never deadlocks two tasks taking two keys in opposite orders', async () => {
    const mutex = new KeyedMutex();
    const both = await Promise.all(Array.from({ length: 20 }, (_, i) => mutex.run(i % 2 === 0 ? ['x', 'y'] : ['y', 'x'], async () => (await tick(1), i))));
    expect(both).toHaveLength(20);
    expect(mutex.size).toBe(0);
  });

  it('releases when a task fails', async () => {
    const mutex = new KeyedMutex();
    await expect(mutex.run(['a'], () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await mutex.run(['a'], async () => 'next')).toBe('next');
  });

  it('gives up waiting after waitMs, and its turn passes on at once', async () => {
    const mutex = new KeyedMutex();
    let release: () => void = () => undefined;
    const holder = mutex.run(['a'], () => new Promise<void>((resolve) => (release = resolve)));
    await expect(mutex.run(['a'], async () => 'late', 20)).rejects.toBeInstanceOf(LockTimeoutError);
    const third = mutex.run(['a'], async () => 'third');
    release();
    await holder;
    expect(await third).toBe('third');
    expect(mutex.size).toBe(0);
  });
});
