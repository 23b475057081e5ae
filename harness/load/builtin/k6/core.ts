/** The `k6` module: check, group, sleep, fail, randomSeed. */
import type { ModuleVu } from './module-vu.ts';
import { now } from '../runtime/clock.ts';
import { interruptibleDelay } from '../runtime/interrupt.ts';

export function createCoreModule(vu: ModuleVu): Record<string, unknown> {
  const check = async (value: unknown, sets: unknown, tags?: unknown): Promise<boolean> => {
    if (vu.phase === 'init') throw new Error('Using check() in the init context is not supported');
    let all = true;
    const extra: Record<string, string> = {};
    if (tags && typeof tags === 'object') for (const [k, v] of Object.entries(tags)) extra[k] = String(v);
    for (const [name, condition] of Object.entries((sets ?? {}) as Record<string, unknown>)) {
      let ok: boolean;
      if (typeof condition === 'function') {
        ok = Boolean(await (condition as (v: unknown) => unknown)(value));
      } else {
        ok = Boolean(condition);
      }
      if (!ok) all = false;
      vu.run.emit('checks', ok ? 1 : 0, { ...vu.baseTags(), ...extra, check: name });
    }
    return all;
  };

  const group = async (name: unknown, fn: unknown): Promise<unknown> => {
    if (vu.phase === 'init') throw new Error('Using group() in the init context is not supported');
    const groupName = String(name);
    if (groupName.includes('::')) throw new Error('group and check names may not contain \'::\'');
    if (typeof fn !== 'function') throw new Error('group() needs a function as its second argument');
    const parent = vu.groupPath;
    vu.groupPath = `${parent}::${groupName}`;
    const start = now();
    try {
      return await (fn as () => unknown)();
    } finally {
      const end = now();
      vu.run.emit('group_duration', end - start, vu.baseTags(), end);
      vu.groupPath = parent;
    }
  };

  const sleep = async (seconds: unknown): Promise<void> => {
    const s = Number(seconds);
    if (!(s > 0)) return;
    await interruptibleDelay(s * 1000, vu.interrupt);
  };

  const fail = (message?: unknown): never => {
    throw new Error(message === undefined ? 'fail' : String(message));
  };

  const randomSeed = (seed: unknown): void => {
    // k6 seeds Math.random per VU; one thread shares Math.random here, so a seed cannot be honoured.
    vu.run.logger.log('warn', `randomSeed(${String(seed)}) is ignored by the built-in engine`);
  };

  const api = { check, group, sleep, fail, randomSeed };
  return { ...api, default: api };
}
