/**
 * `k6/data` SharedArray: the callback runs once per test (in the first VU that gets there) and every
 * VU shares the frozen result, as k6 shares one copy across VUs. The constructor returns a promise
 * that the transform awaits (k6 runs the callback synchronously).
 */
import type { ModuleVu } from './module-vu.ts';

export function createDataModule(vu: ModuleVu): Record<string, unknown> {
  function SharedArray(name: unknown, fn: unknown): Promise<readonly unknown[]> {
    if (vu.phase !== 'init') throw new Error('new SharedArray must be called in the init context');
    const key = String(name);
    if (key === '') throw new Error('empty name provided to SharedArray\'s constructor');
    if (typeof fn !== 'function') throw new Error('a function is expected as the second argument of SharedArray\'s constructor');
    const existing = vu.run.sharedArrays.get(key);
    if (existing) return Promise.resolve(existing);
    return Promise.resolve((fn as () => unknown)()).then((value) => {
      if (!Array.isArray(value)) throw new Error('only arrays can be made into SharedArray');
      const frozen = Object.freeze(JSON.parse(JSON.stringify(value)) as unknown[]);
      vu.run.sharedArrays.set(key, frozen);
      return frozen;
    });
  }
  const api = { SharedArray };
  return { ...api, default: api };
}
