/**
 * One virtual user: its identity and counters (k6/execution), its own module instance, cookie jar
 * and connections, its current group and tags, and the loop body that runs one iteration and emits
 * k6's per-iteration samples (data_sent, data_received, iteration_duration, iterations).
 */
import type { CompiledScript } from '../transform/loader.ts';
import { CookieStore } from '../http/cookies.ts';
import { VuTransport, type WireRequest, type WireResponse } from '../http/transport.ts';
import { DEFAULT_EXPECTED, type ExpectedStatuses } from '../http/expected.ts';
import { K6_EXIT } from '../../contract.ts';
import { now } from './clock.ts';
import type { RunContext } from './context.ts';
import { InterruptError, Interrupter, TestAbortError } from './interrupt.ts';
import { instantiate, type Namespace } from './modules.ts';
import { createRuntime, type ScriptVu } from './globals.ts';
import { createK6Modules } from '../k6/modules.ts';
import type { RunView, VuPhase } from '../k6/module-vu.ts';
import { CallDepth } from './call-depth.ts';
import { withTimeout, type TimedOutcome } from './timeout.ts';
import { formatScriptException, type ThrownValue } from './exception.ts';

/** What a VU knows about the scenario it currently runs in. */
export interface ScenarioRun {
  name: string;
  executor: string;
  exec: string;
  startTime: number;
  tags: Record<string, string>;
  env: Record<string, string>;
  /** Iterations started in this scenario across all VUs (exec.scenario.iterationInTest). */
  nextIterationInTest: number;
  progress: () => number;
}

export type IterationOutcome = 'full' | 'error' | 'interrupted';

/** The concrete VU: what k6 modules see of it (ScriptVu, a ModuleVu) and what executors drive. */
export class Vu implements ScriptVu {
  phase: VuPhase = 'init';
  iterationInInstance = -1;
  iterationInScenario = -1;
  iterationInTest = -1;
  scenario: ScenarioRun | undefined;
  groupPath = '';
  /** exec.vu.tags: tags the script sets on its own VU (a proxy, so cached base tags can be dropped). */
  readonly scriptTags: Record<string, string>;
  private tagsVersion = 0;
  private cachedTags: { key: string; version: number; scenario: ScenarioRun | undefined; tags: Record<string, string> } | undefined;
  readonly metadata: Record<string, string> = {};
  readonly jar = new CookieStore();
  readonly transport = new VuTransport();
  responseCallback: ExpectedStatuses | null = DEFAULT_EXPECTED;
  netSent = 0;
  netReceived = 0;
  interrupt: Interrupter | undefined;
  /** Nested script calls, counted by the transformed code's depth guard. */
  readonly callDepth = new CallDepth();
  /** The last value the script threw that was not an Error, and where (for its stack trace). */
  lastThrown: ThrownValue | undefined;
  private script: CompiledScript | undefined;
  private exportsNs: Namespace | undefined;
  /** ENV for this VU: the run's, overlaid with the scenario's `env`. */
  env: Record<string, string>;

  constructor(
    readonly idInTest: number,
    readonly ctx: RunContext,
  ) {
    this.env = { ...ctx.env };
    this.scriptTags = new Proxy({} as Record<string, string>, {
      set: (target, key, value) => {
        this.tagsVersion++;
        return Reflect.set(target, key, String(value));
      },
      deleteProperty: (target, key) => {
        this.tagsVersion++;
        return Reflect.deleteProperty(target, key);
      },
    });
  }

  get run(): RunView {
    return this.ctx;
  }

  send(request: WireRequest): Promise<WireResponse> {
    return this.transport.send(request, this.interrupt);
  }

  countTraffic(sentBytes: number, receivedBytes: number): void {
    this.netSent += sentBytes;
    this.netReceived += receivedBytes;
  }

  get exports(): Namespace {
    if (!this.exportsNs) throw new Error('VU not initialised');
    return this.exportsNs;
  }

  /** Runs the init code (module scope) of the script for this VU. */
  async init(script: CompiledScript): Promise<void> {
    this.phase = 'init';
    this.script = script;
    this.callDepth.reset();
    const k6 = createK6Modules(this);
    this.exportsNs = await instantiate(script, (dir) => createRuntime(this, dir), k6);
  }

  /** The tags every sample of this VU carries: test tags, scenario, scenario tags, VU tags, group. */
  baseTags(): Record<string, string> {
    const cached = this.cachedTags;
    if (cached && cached.key === this.groupPath && cached.version === this.tagsVersion && cached.scenario === this.scenario) return { ...cached.tags };
    const tags = this.computeBaseTags();
    this.cachedTags = { key: this.groupPath, version: this.tagsVersion, scenario: this.scenario, tags };
    return { ...tags };
  }

  /** Shared, read-only base tags for the hot path (HTTP samples copy them anyway). */
  baseTagsShared(): Readonly<Record<string, string>> {
    const cached = this.cachedTags;
    if (cached && cached.key === this.groupPath && cached.version === this.tagsVersion && cached.scenario === this.scenario) return cached.tags;
    this.baseTags();
    return this.cachedTags!.tags;
  }

  private computeBaseTags(): Record<string, string> {
    const tags: Record<string, string> = { ...this.ctx.options.tags };
    if (this.scenario) {
      tags['scenario'] = this.scenario.name;
      Object.assign(tags, this.scenario.tags);
    }
    Object.assign(tags, this.scriptTags);
    tags['group'] = this.groupPath;
    return tags;
  }

  /** Hard stop of the running iteration: every pending k6 call rejects with InterruptError. */
  interruptIteration(): void {
    this.interrupt?.abort();
  }

  enterScenario(scenario: ScenarioRun): void {
    if (this.scenario !== scenario) {
      this.scenario = scenario;
      this.iterationInScenario = -1;
      this.env = { ...this.ctx.env, ...scenario.env };
    }
  }

  /** Runs `fnName` once as a k6 iteration of the current scenario. */
  async runIteration(fnName: string, data: unknown): Promise<IterationOutcome> {
    const scenario = this.scenario;
    const fn = this.exports[fnName];
    if (typeof fn !== 'function') throw new Error(`function "${fnName}" not found in exports`);
    const interrupt = new Interrupter();
    this.interrupt = interrupt;
    this.phase = 'iteration';
    this.iterationInInstance++;
    this.iterationInScenario++;
    if (scenario) this.iterationInTest = scenario.nextIterationInTest++;
    this.groupPath = '';
    this.netSent = 0;
    this.netReceived = 0;
    if (!this.ctx.options.noCookiesReset) this.jar.reset();
    this.callDepth.reset();
    const start = now();
    let outcome: IterationOutcome = 'full';
    try {
      await (fn as (d: unknown) => unknown)(data);
    } catch (error) {
      if (interrupt.aborted || error instanceof InterruptError) outcome = 'interrupted';
      else if (error instanceof TestAbortError) {
        outcome = 'interrupted';
        this.ctx.requestAbort({ reason: error.message, exitCode: K6_EXIT.scriptAborted });
      } else {
        outcome = 'error';
        this.logException(error);
      }
    }
    if (interrupt.aborted) outcome = 'interrupted';
    const end = now();
    this.groupPath = '';
    const tags = this.baseTags();
    this.ctx.emit('data_sent', this.netSent, tags, end);
    this.ctx.emit('data_received', this.netReceived, tags, end);
    if (outcome !== 'interrupted') {
      this.ctx.emit('iteration_duration', end - start, tags, end);
      this.ctx.emit('iterations', 1, tags, end);
    }
    this.interrupt = undefined;
    return outcome;
  }

  /**
   * Runs setup() or teardown() (no scenario, group `::setup` or `::teardown`) within its timeout; past
   * it, the call is interrupted and the outcome is `timed-out`. A script without the function returns
   * undefined.
   */
  async runLifecycle(fnName: 'setup' | 'teardown', data: unknown, timeoutMs: number): Promise<TimedOutcome<unknown>> {
    const fn = this.exports[fnName];
    if (typeof fn !== 'function') return { kind: 'returned', value: undefined };
    this.phase = fnName;
    this.scenario = undefined;
    this.groupPath = `::${fnName}`;
    this.netSent = 0;
    this.netReceived = 0;
    const interrupt = new Interrupter();
    this.interrupt = interrupt;
    this.callDepth.reset();
    const start = now();
    try {
      return await withTimeout(() => (fn as (d: unknown) => unknown)(data), timeoutMs, () => interrupt.abort());
    } finally {
      const end = now();
      const tags = { ...this.ctx.options.tags, group: this.groupPath };
      this.ctx.emit('data_sent', this.netSent, tags, end);
      this.ctx.emit('data_received', this.netReceived, tags, end);
      this.ctx.emit('iteration_duration', end - start, tags, end);
      this.groupPath = '';
      this.interrupt = undefined;
    }
  }

  /** A script exception as k6 prints it: the message and the script's own frames (runtime/exception.ts). */
  describeException(error: unknown): string {
    return formatScriptException(error, this.script, this.lastThrown);
  }

  /** Logs an exception that ended an iteration, as k6's executors do: the run goes on. */
  logException(error: unknown): void {
    const fields: Record<string, string> = { source: 'stacktrace' };
    if (this.scenario) {
      fields['executor'] = this.scenario.executor;
      fields['scenario'] = this.scenario.name;
    }
    this.ctx.logger.log('error', this.describeException(error), fields);
  }

  async close(): Promise<void> {
    await this.transport.close();
  }
}
