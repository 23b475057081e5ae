import { HarnessError } from '../core/errors.ts';
import { BACKEND, FRONTEND } from '../../targets/lb/haproxy-config.ts';
import type { AddressBook } from './address-book.ts';
import type { LbCountersSnapshot } from '../core/run-files/index.ts';
import { parseStats } from './lb-counters.ts';
import { LbObserver, type LbCountersReason, type MappedLbStateEvent } from './lb-observer.ts';
import { readServersState, runtimeApiCommand, type LbServerState } from './lb-runtime-api.ts';
import type { Millis } from './operation.ts';
import { waitUntil } from './probes.ts';

export interface LbServer extends LbServerState {
  /** The replica behind the slot's address, when the harness knows it. */
  replica: string | undefined;
  readAt: Millis;
}

export interface LoadBalancerOptions {
  /** Its container's name, for the hint of a timeout. */
  containerName: string;
  /** Its address on the front network, where its runtime API answers. */
  host: string;
  runtimeApiPort: number;
  /** Which replica held which address when (filled by the registry). */
  addresses: AddressBook;
  /** Where to write every line of its log (lb.log); nothing is written without it. */
  logPath?: string;
  signal?: AbortSignal;
  now: () => Millis;
}

/**
 * The running load balancer as the harness talks to it: its runtime API (server slots, counters),
 * and its log, followed from its first line (lb-observer.ts), which says when it marked a replica
 * up or down. Slots are mapped to replicas through the registry's address book.
 */
export class LoadBalancer {
  private readonly options: LoadBalancerOptions;
  private readonly observer: LbObserver;

  private constructor(options: LoadBalancerOptions, observer: LbObserver) {
    this.options = options;
    this.observer = observer;
  }

  /** Starts following the load balancer's log (its runtime API must answer already). */
  static async follow(options: LoadBalancerOptions): Promise<LoadBalancer> {
    const { addresses } = options;
    const observer = new LbObserver({
      host: options.host,
      port: options.runtimeApiPort,
      ...(options.logPath !== undefined ? { logPath: options.logPath } : {}),
      holderAt: (address, time) => addresses.holderAt(address, time),
      clock: options.now,
    });
    await observer.start();
    return new LoadBalancer(options, observer);
  }

  /** Each server slot's state now, mapped to replica names. */
  async servers(): Promise<LbServer[]> {
    const states = await readServersState(this.options.host, this.options.runtimeApiPort, BACKEND);
    const readAt = this.options.now();
    return states.map((state) => ({ ...state, replica: this.options.addresses.holderAt(state.address), readAt }));
  }

  /** Requests sent to each replica so far, by name. */
  async requestCounts(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    const csv = await runtimeApiCommand(this.options.host, this.options.runtimeApiPort, 'show stat');
    for (const server of parseStats(csv, FRONTEND, BACKEND).servers) {
      const replica = this.options.addresses.holderAt(server.address ?? undefined);
      if (replica) counts[replica] = (counts[replica] ?? 0) + server.requests;
    }
    return counts;
  }

  /**
   * Waits until the load balancer marks the replica up (or down: down or in maintenance) and returns
   * its own time of that change, from its log (see Cluster.waitForLb).
   */
  async waitFor(name: string, want: 'up' | 'down', options: { timeoutMs?: number; since?: Millis } = {}): Promise<Millis> {
    const timeoutMs = options.timeoutMs ?? 15_000;
    // The load balancer's log says when; the harness only waits for the line to arrive.
    const at = await waitUntil(async () => this.observer.changeTime(name, want, options.since), {
      timeoutMs,
      intervalMs: 20,
      signal: this.options.signal,
    });
    if (at === undefined) {
      throw new HarnessError('E_LB_TIMEOUT', `The load balancer did not mark ${name} ${want} within ${timeoutMs} ms.`, {
        hint: 'See the load balancer log: `docker logs ' + this.options.containerName + '`.',
      });
    }
    return at;
  }

  stateEvents(): MappedLbStateEvent[] {
    return this.observer.stateEvents();
  }

  snapshotCounters(reason: LbCountersReason): Promise<LbCountersSnapshot> {
    return this.observer.snapshot(reason);
  }

  counterSnapshots(): LbCountersSnapshot[] {
    return this.observer.counterSnapshots();
  }

  /** A last counters snapshot, then every line its ring holds in lb.log, which is closed; what the record may lack. */
  finishLog(): Promise<string[]> {
    return this.observer.finish();
  }

  /** Stops following at once (the cluster is being removed). */
  stop(): void {
    this.observer.stop();
  }
}
