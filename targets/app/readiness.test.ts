import { describe, expect, it } from 'vitest';
import { createLogger, type LogRecord } from './log.ts';
import { Readiness, type Probe } from './readiness.ts';

function setup(options: { cacheMs?: number } = {}) {
  const lines: string[] = [];
  let now = 1000;
  let failure: string | undefined;
  let calls = 0;
  const probe: Probe = {
    name: 'store(fake)',
    check: async () => {
      calls += 1;
      if (failure !== undefined) throw new Error(failure);
    },
  };
  const log = createLogger('r', (line) => lines.push(line), () => new Date(now));
  const readiness = new Readiness([probe], log, { cacheMs: options.cacheMs ?? 250, pollMs: 60_000, now: () => now });
  return {
    readiness,
    advance: (ms: number) => (now += ms),
    fail: (reason: string | undefined) => (failure = reason),
    calls: () => calls,
    logs: () => lines.map((line) => JSON.parse(line) as LogRecord),
  };
}

describe('Readiness', () => {
  it('logs the first ready with first: true and the time since start', async () => {
    const t = setup();
    t.advance(40);
    expect(await t.readiness.start()).toEqual({ ready: true, state: 'ready' });
    t.readiness.stopPolling();
    expect(t.logs()).toMatchObject([{ event: 'ready', level: 'info', first: true, sinceStartMs: 40 }]);
  });

  it('caches a result for cacheMs, then checks again', async () => {
    const t = setup({ cacheMs: 250 });
    await t.readiness.start();
    t.readiness.stopPolling();
    await t.readiness.check();
    await t.readiness.check();
    expect(t.calls()).toBe(1);
    t.advance(250);
    await t.readiness.check();
    expect(t.calls()).toBe(2);
  });

  it('shares one probe run between concurrent checks', async () => {
    const t = setup({ cacheMs: 0 });
    await Promise.all([t.readiness.check(), t.readiness.check(), t.readiness.check()]);
    expect(t.calls()).toBe(1);
  });

  it('logs transitions only: not_ready with the reason, then ready again', async () => {
    const t = setup({ cacheMs: 0 });
    await t.readiness.check();
    t.fail('connection refused');
    expect(await t.readiness.check()).toEqual({ ready: false, state: 'not_ready', reason: 'store(fake): connection refused' });
    await t.readiness.check();
    t.fail(undefined);
    await t.readiness.check();
    await t.readiness.check();
    expect(t.logs().map((l) => [l.event, l.first ?? l.reason])).toEqual([
      ['ready', true],
      ['not_ready', 'store(fake): connection refused'],
      ['ready', false],
    ]);
  });

  it('is never ready once draining, without asking the probes', async () => {
    const t = setup({ cacheMs: 0 });
    await t.readiness.check();
    t.readiness.drain();
    const calls = t.calls();
    expect(await t.readiness.check()).toEqual({ ready: false, state: 'draining', reason: 'shutting down' });
    expect(t.calls()).toBe(calls);
  });

  it('answers whenReady at once when told to recheck, instead of at the next poll', async () => {
    const t = setup({ cacheMs: 0 });
    t.fail('replay not done');
    let resolved = false;
    const waiting = t.readiness.whenReady().then(() => (resolved = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(resolved).toBe(false);
    t.fail(undefined);
    expect(await t.readiness.recheck()).toEqual({ ready: true, state: 'ready' });
    // The poll interval is a minute: only the recheck can have woken it.
    await Promise.race([waiting, new Promise((_, reject) => setTimeout(() => reject(new Error('whenReady still waiting')), 1000))]);
    expect(t.logs().map((l) => l.event)).toEqual(['not_ready', 'ready']);
  });
});
