/**
 * Whether this replica can serve: every probe passes (the session store answers; later, a replay is
 * done) and it is not shutting down. Results are cached briefly so a busy /readyz does not hammer
 * the store, and a background poll notices the store coming and going even without traffic, logging
 * each transition (`ready` / `not_ready`). The first `ready` line marks the moment the replica could
 * first serve; the harness reads it to time scale-out.
 */
import type { Logger } from './log.ts';
import { errorMessage } from './log.ts';

export interface Probe {
  readonly name: string;
  /** Resolves when this dependency can serve; rejects with the reason otherwise. */
  check(): Promise<void>;
}

export type ReadinessState = 'starting' | 'ready' | 'not_ready' | 'draining';

export interface ReadinessStatus {
  ready: boolean;
  state: ReadinessState;
  /** Why not ready, for the 503 body and the log. */
  reason?: string;
}

export interface ReadinessOptions {
  /** A check result is reused for at most this long. */
  cacheMs?: number;
  /** Background check interval. */
  pollMs?: number;
  now?: () => number;
}

export class Readiness {
  private state: ReadinessState = 'starting';
  private reason: string | undefined = 'starting';
  private checkedAt = Number.NEGATIVE_INFINITY;
  private inFlight: Promise<ReadinessStatus> | undefined;
  private poller: NodeJS.Timeout | undefined;
  private everReady = false;
  private wake: (() => void) | undefined;
  private readonly cacheMs: number;
  private readonly pollMs: number;
  private readonly now: () => number;
  private readonly startedAt: number;

  constructor(
    private readonly probes: readonly Probe[],
    private readonly log: Logger,
    options: ReadinessOptions = {},
  ) {
    this.cacheMs = options.cacheMs ?? 250;
    this.pollMs = options.pollMs ?? 250;
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
  }

  get current(): ReadinessStatus {
    return this.status();
  }

  /** Checks at once, then keeps checking in the background until drain(). */
  start(): Promise<ReadinessStatus> {
    if (this.poller === undefined && this.state !== 'draining') {
      this.poller = setInterval(() => void this.refresh(), this.pollMs);
      this.poller.unref();
    }
    return this.refresh();
  }

  /** Resolves the first time the probes pass (at once when that already happened). */
  async whenReady(signal?: AbortSignal): Promise<void> {
    while (!this.everReady) {
      signal?.throwIfAborted();
      const status = await this.refresh();
      if (status.ready) return;
      // Until the next poll, or sooner when recheck() says something changed.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, this.pollMs);
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.wake = done;
      });
      this.wake = undefined;
    }
  }

  /**
   * Checks now, for a dependency that knows its state just changed (a replay finished), so the
   * `ready` line and the open port follow it at once instead of up to one poll later.
   */
  recheck(): Promise<ReadinessStatus> {
    if (this.state === 'draining') return Promise.resolve(this.status());
    const checked = this.refreshAfterCurrent();
    void checked.then(() => this.wake?.(), () => this.wake?.());
    return checked;
  }

  /** The answer /readyz gives: cached when fresh, checked otherwise. */
  check(): Promise<ReadinessStatus> {
    if (this.state === 'draining') return Promise.resolve(this.status());
    if (this.now() - this.checkedAt < this.cacheMs && this.state !== 'starting') return Promise.resolve(this.status());
    return this.refresh();
  }

  /** Shutting down: not ready from now on, whatever the probes say. */
  drain(): void {
    this.stopPolling();
    if (this.state !== 'draining') {
      this.state = 'draining';
      this.reason = 'shutting down';
    }
  }

  stopPolling(): void {
    if (this.poller !== undefined) clearInterval(this.poller);
    this.poller = undefined;
  }

  /** A check that begins after any in flight, so it sees the change that prompted it. */
  private async refreshAfterCurrent(): Promise<ReadinessStatus> {
    if (this.inFlight !== undefined) await this.inFlight.catch(() => undefined);
    return this.refresh();
  }

  private refresh(): Promise<ReadinessStatus> {
    this.inFlight ??= this.runProbes().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async runProbes(): Promise<ReadinessStatus> {
    let failure: string | undefined;
    for (const probe of this.probes) {
      try {
        await probe.check();
      } catch (error) {
        failure = `${probe.name}: ${errorMessage(error)}`;
        break;
      }
    }
    this.checkedAt = this.now();
    if (this.state === 'draining') return this.status();
    if (failure === undefined && this.state !== 'ready') {
      this.state = 'ready';
      this.reason = undefined;
      const first = !this.everReady;
      this.everReady = true;
      this.log.info(
        'ready',
        first ? { first: true, sinceStartMs: this.now() - this.startedAt, uptimeMs: Math.round(process.uptime() * 1000) } : { first: false },
      );
    } else if (failure !== undefined) {
      // Logged on the transition only; the store logs its own errors as they change.
      if (this.state !== 'not_ready') this.log.warn('not_ready', { reason: failure });
      this.state = 'not_ready';
      this.reason = failure;
    }
    return this.status();
  }

  private status(): ReadinessStatus {
    return this.state === 'ready'
      ? { ready: true, state: this.state }
      : { ready: false, state: this.state, reason: this.reason ?? this.state };
  }
}
