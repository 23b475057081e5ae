/**
 * What a k6 module (k6, k6/http, k6/metrics, k6/execution, k6/data) and the script's globals get of
 * the VU they are bound to, as k6's Go modules get a modules.VU (js/modules/modules.go): the VU's
 * identity, phase and environment; its state in the current iteration (counters, scenario, group,
 * tags, interrupt, cookie jar, connections); and, through `run`, what the whole run shares (options,
 * logger, where samples go, open()'s and SharedArray's caches, the instance's counters). The runtime
 * implements it (runtime/vu.ts, runtime/context.ts); a module never sees the concrete VU, its pool,
 * its transport or the run's lifecycle.
 *
 * Types only, and nothing of the runtime: the runtime creates the modules, so the modules must not
 * depend on it in turn.
 */
import type { MetricDefinition, Tags } from '../../contract.ts';
import type { CookieStore } from '../http/cookies.ts';
import type { ExpectedStatuses } from '../http/expected.ts';
import type { WireRequest, WireResponse } from '../http/transport.ts';

/** Where a VU is in its life: k6 allows some calls only in init code, others never there. */
export type VuPhase = 'init' | 'setup' | 'iteration' | 'teardown' | 'summary';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** k6's log lines (runtime/logger.ts writes them). */
export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, string>): void;
}

/** The script options a module obeys. */
export interface ModuleOptions {
  readonly userAgent: string | undefined;
  readonly maxRedirects: number | undefined;
  readonly discardResponseBodies: boolean;
}

/** Run-wide counters for k6/execution's `instance` and `test`. */
export interface InstanceInfo {
  vusActive: () => number;
  vusInitialized: () => number;
  iterationsCompleted: () => number;
  iterationsInterrupted: () => number;
  options: () => unknown;
}

/** What every VU of the run shares, as k6 shares it between VUs. */
export interface RunView {
  readonly options: ModuleOptions;
  readonly logger: Logger;
  readonly instance: InstanceInfo;
  /** open()'s cache: a file is read once for the whole run. */
  readonly files: Map<string, string | Uint8Array>;
  /** SharedArray contents by name. */
  readonly sharedArrays: Map<string, readonly unknown[]>;
  /** Declares a metric (k6's registry); throws for a name reused with another type. */
  define(definition: MetricDefinition): void;
  /** Sends one sample on (k6's state.Samples); `time` defaults to now. */
  emit(metric: string, value: number, tags: Tags, time?: number): void;
  /** Milliseconds since the test started (exec.instance.currentTestRunDuration). */
  elapsed(): number;
}

/** The scenario a VU runs in, as k6/execution shows it. */
export interface ScenarioInfo {
  readonly name: string;
  readonly executor: string;
  readonly startTime: number;
  progress(): number;
}

/** The current iteration's stop switch (runtime/interrupt.ts's Interrupter): a call that waits listens to it. */
export interface InterruptSignal {
  readonly aborted: boolean;
  on(listener: () => void): void;
  off(listener: () => void): void;
}

export interface ModuleVu {
  readonly run: RunView;
  /** __VU and exec.vu.idInTest; 0 for the VU that runs setup, teardown and handleSummary. */
  readonly idInTest: number;
  readonly phase: VuPhase;
  /** __ENV: the run's environment with the current scenario's `env` over it. */
  readonly env: Record<string, string>;
  readonly scenario: ScenarioInfo | undefined;
  /** k6/execution's counters; -1 before the first iteration. */
  readonly iterationInInstance: number;
  readonly iterationInScenario: number;
  readonly iterationInTest: number;
  /** The current group's path (`::outer::inner`); group() sets it. */
  groupPath: string;
  /** exec.vu.tags: the tags the script sets on its own VU. */
  readonly scriptTags: Record<string, string>;
  /** exec.vu.metrics.metadata. */
  readonly metadata: Record<string, string>;
  /** The tags every sample of this VU carries now, as a copy the caller may extend. */
  baseTags(): Record<string, string>;
  /** The same tags, shared and read-only, for the hot path. */
  baseTagsShared(): Readonly<Record<string, string>>;
  /** Set while an iteration or a lifecycle call runs. */
  readonly interrupt: InterruptSignal | undefined;
  /** The VU's default cookie jar (http.cookieJar()). */
  readonly jar: CookieStore;
  /** http.setResponseCallback's; null when none decides `expected_response`. */
  responseCallback: ExpectedStatuses | null;
  /** One HTTP exchange over the VU's own connections, ended early by its interrupt. */
  send(request: WireRequest): Promise<WireResponse>;
  /** Bytes a request sent and received, for the iteration's data_sent and data_received. */
  countTraffic(sentBytes: number, receivedBytes: number): void;
}
