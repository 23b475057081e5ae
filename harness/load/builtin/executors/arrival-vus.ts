/**
 * The VUs of one arrival-rate scenario: a scheduled start goes to an idle VU; with none idle, one
 * more VU is initialised (up to maxVUs) and runs it; with all maxVUs busy, the start is dropped and
 * counted in dropped_iterations. Tracks every started iteration so the scenario can stop gracefully.
 */
import type { Vu } from '../runtime/vu.ts';
import type { ScenarioConfig } from '../options.ts';
import { now } from '../runtime/clock.ts';
import { delay, delayOrAbort, type ExecutorEnv } from './common.ts';

export type ArrivalConfig = Extract<ScenarioConfig, { executor: 'constant-arrival-rate' | 'ramping-arrival-rate' }>;

export class ArrivalVus {
  /** Last in, first out: the VU that finished last has the warmest connections. */
  private readonly idle: Vu[] = [];
  private readonly busy = new Set<Vu>();
  /** Iterations started (or waiting for their new VU), until they end. */
  private readonly running = new Set<Promise<void>>();
  /** VUs this scenario holds or is initialising; never more than maxVUs. */
  private owned = 0;
  /** Set once the grace period is over: a VU that finishes initialising then runs nothing. */
  private stopped = false;
  /** Set once the idle VUs went back to the pool: a late VU goes straight there. */
  private closed = false;
  private warned = false;
  private readonly droppedTags: Record<string, string>;

  constructor(
    private readonly env: ExecutorEnv,
    private readonly config: ArrivalConfig,
  ) {
    this.droppedTags = { ...env.ctx.options.tags, scenario: env.scenario.name, ...env.scenario.tags };
  }

  /** VUs held or initialising, and those running an iteration (for the progress line). */
  get counts(): { owned: number; busy: number } {
    return { owned: this.owned, busy: this.busy.size };
  }

  /** Takes the preAllocatedVUs (the run initialised them before the test). */
  async preallocate(): Promise<void> {
    for (let i = 0; i < this.config.preAllocatedVUs; i++) {
      const vu = await this.env.pool.takeOrCreate();
      vu.enterScenario(this.env.scenario);
      this.idle.push(vu);
      this.owned++;
    }
  }

  /** Starts one scheduled iteration, now; never waits (the schedule must not slip). */
  start(): void {
    const vu = this.idle.pop();
    if (vu) {
      this.track(this.iterate(vu));
    } else if (this.owned < this.config.maxVUs) {
      this.owned++;
      this.track(this.grow());
    } else {
      this.drop();
    }
  }

  /**
   * Lets started iterations finish until `graceEndsAt` (epoch ms; gracefulStop), then interrupts
   * what still runs, and gives the VUs back to the pool.
   */
  async finish(graceEndsAt: number): Promise<void> {
    const env = this.env;
    // New iterations can join `running` while waiting (a VU finishing its init), so wait in rounds.
    const allDone = async (): Promise<void> => {
      while (this.running.size > 0) await Promise.all(this.running);
    };
    const graceful = await Promise.race([allDone().then(() => true), delayOrAbort(Math.max(0, graceEndsAt - now()), env.ctx).then(() => false)]);
    if (!graceful) {
      this.stopped = true;
      for (const vu of this.busy) vu.interruptIteration();
      // An iteration blocked outside k6 calls cannot be interrupted; give up on it after a moment.
      await Promise.race([allDone(), delay(250)]);
    }
    this.stopped = true;
    this.closed = true;
    for (const vu of this.idle) env.pool.release(vu);
    this.idle.length = 0;
  }

  private track(p: Promise<void>): void {
    const tracked = p.finally(() => this.running.delete(tracked));
    this.running.add(tracked);
  }

  private async iterate(vu: Vu): Promise<void> {
    const env = this.env;
    this.busy.add(vu);
    env.stats.active++;
    try {
      const outcome = await vu.runIteration(this.config.exec, env.dataFor(vu));
      if (outcome === 'full') env.stats.completed++;
      else env.stats.interrupted++;
    } catch {
      env.stats.interrupted++;
    } finally {
      env.stats.active--;
      this.busy.delete(vu);
      this.park(vu);
    }
  }

  /**
   * Initialises one more VU in the background and gives it the iteration that asked for it, which
   * so starts late by the init time. k6 instead drops that iteration while the VU initialises; here
   * iterations are dropped only when all maxVUs are busy.
   */
  private async grow(): Promise<void> {
    const env = this.env;
    let vu: Vu;
    try {
      vu = await env.pool.takeOrCreate();
    } catch (error) {
      // As k6: the error is logged, the VU's place stays used up (no retry), the run goes on. The
      // iteration it was to run counts as dropped, so started + dropped is still the schedule.
      const message = error instanceof Error ? error.message : String(error);
      env.ctx.logger.log('error', 'Error while allocating unplanned VU', { error: message, ...this.logFields() });
      env.ctx.emit('dropped_iterations', 1, this.droppedTags);
      return;
    }
    vu.enterScenario(env.scenario);
    if (this.stopped || env.ctx.abort) this.park(vu);
    else await this.iterate(vu);
  }

  private park(vu: Vu): void {
    if (this.closed) this.env.pool.release(vu);
    else this.idle.push(vu);
  }

  private drop(): void {
    const env = this.env;
    env.ctx.emit('dropped_iterations', 1, this.droppedTags);
    if (!this.warned) {
      this.warned = true;
      // k6's warning, once per scenario.
      env.ctx.logger.log('warn', `Insufficient VUs, reached ${this.config.maxVUs} active VUs and cannot initialize more`, this.logFields());
    }
  }

  private logFields(): Record<string, string> {
    return { executor: this.config.executor, scenario: this.env.scenario.name };
  }
}
