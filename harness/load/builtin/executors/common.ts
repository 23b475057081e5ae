/**
 * What every executor shares: the pool of initialised VUs, the run-wide counters behind the
 * progress line and k6/execution, and a group of VU loops that can be stopped gracefully (finish
 * the current iteration within a grace period) and then hard (interrupt it).
 */
import type { RunContext } from '../runtime/context.ts';
import type { ScenarioRun, Vu } from '../runtime/vu.ts';
import type { ExecutorName, ScenarioConfig } from '../options.ts';
import { now } from '../runtime/clock.ts';

export interface RunStats {
  completed: number;
  interrupted: number;
  /** VUs currently running iterations (the `vus` metric). */
  active: number;
}

export class VuPool {
  private readonly idle: Vu[] = [];
  private created = 0;

  constructor(private readonly create: (idInTest: number) => Promise<Vu>) {}

  get initialized(): number {
    return this.created;
  }

  async grow(): Promise<Vu> {
    this.created++;
    return this.create(this.created);
  }

  async fill(count: number): Promise<void> {
    while (this.created < count) this.idle.push(await this.grow());
  }

  take(): Vu | undefined {
    return this.idle.shift();
  }

  async takeOrCreate(): Promise<Vu> {
    return this.take() ?? (await this.grow());
  }

  release(vu: Vu): void {
    this.idle.push(vu);
    this.idle.sort((a, b) => a.idInTest - b.idInTest);
  }
}

export interface ExecutorEnv {
  config: ScenarioConfig;
  scenario: ScenarioRun;
  pool: VuPool;
  ctx: RunContext;
  stats: RunStats;
  /** The setup() result as this VU sees it (its own JSON copy). */
  dataFor: (vu: Vu) => unknown;
  /** Set by the executor for the progress line. */
  progress: ScenarioProgress;
}

/** Runs one scenario with its config; returns when its VUs have stopped (after the graceful stop, or interrupted). */
export type Executor<E extends ExecutorName> = (env: ExecutorEnv, config: Extract<ScenarioConfig, { executor: E }>) => Promise<void>;

/** `count` VUs for a scenario: idle ones first, then new ones. */
export async function takeVus(env: ExecutorEnv, count: number): Promise<Vu[]> {
  const vus: Vu[] = [];
  for (let i = 0; i < count; i++) vus.push(await env.pool.takeOrCreate());
  return vus;
}

export interface ScenarioProgress {
  state: 'waiting' | 'running' | 'stopping' | 'done';
  fraction: number;
  detail: string;
}

export function delay(ms: number): Promise<void> {
  // Unref'd: the run keeps the process alive with its own sampler; a stale timer must not.
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)).unref());
}

/** Resolves after the event loop has polled for I/O once (timers and I/O callbacks run first). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Sleeps until `until` (epoch ms) or until the test is aborted. */
export function sleepUntil(until: number, ctx: RunContext): Promise<void> {
  if (ctx.abort) return Promise.resolve();
  return new Promise((resolve) => {
    const off = ctx.onAbort(() => {
      clearTimeout(timer);
      off();
      resolve();
    });
    const timer = setTimeout(() => {
      off();
      resolve();
    }, Math.max(0, until - now()));
    timer.unref();
  });
}

const YIELD_EVERY_MS = 20;

/**
 * VU loops of one scenario. A loop runs iterations while `next()` allows; iterations whose script
 * never waits on I/O would starve the timers, so a loop yields to the event loop now and then.
 */
export class LoopGroup {
  private readonly running = new Map<Vu, Promise<void>>();

  constructor(private readonly env: ExecutorEnv) {}

  get size(): number {
    return this.running.size;
  }

  start(vu: Vu, next: () => boolean, onDone?: () => void): void {
    const env = this.env;
    vu.enterScenario(env.scenario);
    const loop = (async () => {
      env.stats.active++;
      let lastYield = now();
      try {
        while (!env.ctx.abort && next()) {
          const outcome = await vu.runIteration(env.config.exec, env.dataFor(vu));
          if (outcome === 'full') env.stats.completed++;
          else env.stats.interrupted++;
          if (now() - lastYield > YIELD_EVERY_MS) {
            await yieldToEventLoop();
            lastYield = now();
          }
        }
      } finally {
        env.stats.active--;
        this.running.delete(vu);
        env.pool.release(vu);
        onDone?.();
      }
    })();
    this.running.set(vu, loop);
  }

  has(vu: Vu): boolean {
    return this.running.has(vu);
  }

  loopOf(vu: Vu): Promise<void> | undefined {
    return this.running.get(vu);
  }

  /** Waits for the loops to end on their own for `graceMs`, then interrupts what still runs. */
  async finish(graceMs: number): Promise<void> {
    const all = Promise.all(this.running.values());
    const graceful = await Promise.race([all.then(() => true), delayOrAbort(graceMs, this.env.ctx).then(() => false)]);
    if (graceful) return;
    for (const vu of this.running.keys()) vu.interruptIteration();
    // An iteration blocked outside k6 calls cannot be interrupted; give up on it after a moment.
    await Promise.race([Promise.all(this.running.values()), delay(250)]);
  }
}

/** Resolves after ms, or at once when the test is aborted (aborts interrupt without grace). */
export function delayOrAbort(ms: number, ctx: RunContext): Promise<void> {
  return sleepUntil(now() + ms, ctx);
}

export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${Number.isInteger(s) ? s : s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  const rest = s - m * 60;
  return `${m}m${Number.isInteger(rest) ? rest : rest.toFixed(1)}s`;
}
