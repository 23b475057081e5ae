/**
 * Engine-wide state shared by all VUs of one run: where samples go, the script's options, the
 * environment, the logger, and the test-abort switch. VUs get it; k6 modules see it as a RunView.
 */
import type { MetricDefinition, MetricSink, Tags } from '../../contract.ts';
import { now } from './clock.ts';
import type { Logger } from './logger.ts';
import type { ScriptOptions } from '../options.ts';
import type { InstanceInfo, RunView } from '../k6/module-vu.ts';

export interface TestAbort {
  reason: string;
  /** k6 exit code: 108 for exec.test.abort(), 99 for abortOnFail, 105 for an external cancel. */
  exitCode: number;
}

export class RunContext implements RunView {
  private readonly defined = new Map<string, MetricDefinition>();
  /** Set when the test must stop early (exec.test.abort, abortOnFail, cancel). */
  abort: TestAbort | undefined;
  private readonly abortListeners = new Set<() => void>();
  /** When the test (and its clock for progress and rates) started. */
  startTime = now();
  /** Cache for open(): files are read once and shared, as k6 does. */
  readonly files = new Map<string, string | Uint8Array>();
  /** SharedArray contents by name. */
  readonly sharedArrays = new Map<string, readonly unknown[]>();
  /** Run-wide counters for k6/execution's `instance` (set by the run once its VUs exist). */
  instance: InstanceInfo = {
    vusActive: () => 0,
    vusInitialized: () => 0,
    iterationsCompleted: () => 0,
    iterationsInterrupted: () => 0,
    options: () => this.options.raw,
  };

  constructor(
    readonly sink: MetricSink,
    public options: ScriptOptions,
    readonly env: Record<string, string>,
    readonly scriptDir: string,
    readonly logger: Logger,
  ) {}

  /** Declares a metric (built-in or custom); k6 rejects a name reused with another type. */
  define(definition: MetricDefinition): void {
    const existing = this.defined.get(definition.name);
    if (existing) {
      if (existing.type !== definition.type) {
        throw new Error(`metric "${definition.name}" already exists with type ${existing.type}, cannot redefine it as ${definition.type}`);
      }
      return;
    }
    this.defined.set(definition.name, definition);
    this.sink.define(definition);
  }

  isDefined(name: string): boolean {
    return this.defined.has(name);
  }

  emit(metric: string, value: number, tags: Tags, time: number = now()): void {
    this.sink.add({ metric, time, value, tags });
  }

  requestAbort(abort: TestAbort): void {
    if (this.abort) return;
    this.abort = abort;
    for (const listener of this.abortListeners) listener();
  }

  onAbort(listener: () => void): () => void {
    if (this.abort) listener();
    this.abortListeners.add(listener);
    return () => this.abortListeners.delete(listener);
  }

  elapsed(): number {
    return now() - this.startTime;
  }
}
