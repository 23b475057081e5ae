/**
 * The test once the run is prepared, in k6's order: every VU initialised, setup(), the scenarios
 * (each from its startTime, with its executor), teardown(). What these phases share lives here: the
 * pool of VUs, the counters behind k6/execution and the progress line, each scenario's progress.
 */
import { VuPool, sleepUntil, type ExecutorEnv, type RunStats, type ScenarioProgress } from './executors/common.ts';
import { runExecutor } from './executors/registry.ts';
import { plannedMaxVus, type ScenarioConfig } from './options.ts';
import type { PreparedRun } from './prepare-run.ts';
import { formatProgress } from './progress.ts';
import { now } from './runtime/clock.ts';
import { initFailure, lifecycleFailure, type LifecycleFailure } from './runtime/script-errors.ts';
import { Vu, type ScenarioRun } from './runtime/vu.ts';
import { SetupData } from './setup-data.ts';

export class TestRun {
  readonly stats: RunStats = { completed: 0, interrupted: 0, active: 0 };
  readonly pool: VuPool;
  private readonly vus: Vu[];
  private readonly progress: Array<{ name: string; progress: ScenarioProgress }>;

  constructor(private readonly run: PreparedRun) {
    const { ctx, mainVu, options, script } = run;
    this.vus = [mainVu];
    this.pool = new VuPool(async (id) => {
      const vu = new Vu(id, ctx);
      this.vus.push(vu);
      try {
        await vu.init(script);
      } catch (error) {
        throw initFailure(vu, error);
      }
      return vu;
    });
    ctx.instance = {
      vusActive: () => this.stats.active,
      vusInitialized: () => this.pool.initialized,
      iterationsCompleted: () => this.stats.completed,
      iterationsInterrupted: () => this.stats.interrupted,
      options: () => options.raw,
    };
    this.progress = options.scenarios.map((s) => ({ name: s.name, progress: { state: 'waiting', fraction: 0, detail: '' } }));
  }

  /** Initialises the most VUs the scenarios need at once, before the test starts (as k6 does). */
  initVus(): Promise<void> {
    return this.pool.fill(plannedMaxVus(this.run.options.scenarios));
  }

  /** setup()'s data, or why it failed; a failed setup() aborts the test. */
  async setup(): Promise<SetupData | LifecycleFailure> {
    const { ctx, mainVu, options } = this.run;
    const outcome = await mainVu.runLifecycle('setup', undefined, options.setupTimeoutMs);
    let failure: LifecycleFailure;
    if (outcome.kind === 'returned') {
      try {
        return new SetupData(outcome.value);
      } catch (error) {
        failure = lifecycleFailure(mainVu, 'setup', { kind: 'threw', error });
      }
    } else {
      failure = lifecycleFailure(mainVu, 'setup', outcome);
    }
    ctx.requestAbort({ reason: 'setup failed', exitCode: failure.exitCode });
    return failure;
  }

  /** Every scenario, each from its startTime; returns when all have stopped. */
  async scenarios(setup: SetupData): Promise<void> {
    const start = now();
    await Promise.all(this.run.options.scenarios.map((config, i) => this.scenario(config, this.progress[i]!.progress, start, setup)));
  }

  /** teardown(data); undefined when it returned. */
  async teardown(setup: SetupData): Promise<LifecycleFailure | undefined> {
    const { mainVu, options } = this.run;
    const outcome = await mainVu.runLifecycle('teardown', setup.copy(), options.teardownTimeoutMs);
    return outcome.kind === 'returned' ? undefined : lifecycleFailure(mainVu, 'teardown', outcome);
  }

  /** k6's progress block (`running (…), 2/4 VUs, …` and a line per scenario). */
  progressLine(elapsedMs: number, activeVus = this.stats.active): string {
    const { completed, interrupted } = this.stats;
    return formatProgress({ elapsedMs, activeVus, maxVus: this.pool.initialized, completed, interrupted, scenarios: this.progress });
  }

  async close(): Promise<void> {
    await Promise.all(this.vus.map((vu) => vu.close()));
  }

  private async scenario(config: ScenarioConfig, progress: ScenarioProgress, testStart: number, setup: SetupData): Promise<void> {
    const { ctx } = this.run;
    await sleepUntil(testStart + config.startTimeMs, ctx);
    if (ctx.abort) {
      progress.state = 'done';
      return;
    }
    progress.state = 'running';
    const scenario: ScenarioRun = {
      name: config.name,
      executor: config.executor,
      exec: config.exec,
      startTime: now(),
      tags: config.tags,
      env: config.env,
      nextIterationInTest: 0,
      progress: () => progress.fraction,
    };
    const env: ExecutorEnv = { config, scenario, pool: this.pool, ctx, stats: this.stats, dataFor: (vu) => setup.forVu(vu), progress };
    await runExecutor(env);
    progress.state = 'done';
  }
}
