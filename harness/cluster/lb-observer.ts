import { createWriteStream, type WriteStream } from 'node:fs';
import { BACKEND, EVENT_RING, FRONTEND } from '../../targets/lb/haproxy-config.ts';
import { parseLogSinks, parseStats } from './lb-counters.ts';
import type { LbCountersSnapshot, LbTrafficCounters } from '../core/run-files/index.ts';
import { LbEventStream } from './lb-event-stream.ts';
import { formatLbLogLine, isAccessLine, parseRingLine, parseStateEvent, type LbLogLine, type LbStateEvent } from './lb-log.ts';
import { runtimeApiCommand } from './lb-runtime-api.ts';
import { sleep, waitUntil } from './probes.ts';

/** Why a counters snapshot was taken, as lb-counters.ndjson records it. */
export type LbCountersReason = Pick<LbCountersSnapshot, 'reason' | 'faultIndex' | 'action'>;

export type MappedLbStateEvent = LbStateEvent & { replica: string | undefined };

export interface LbObserverOptions {
  host: string;
  port: number;
  /** Where to write every line of HAProxy's log (lb.log); nothing is written without it. */
  logPath?: string;
  /** The replica that held an address at a time (the cluster's address book). */
  holderAt: (address: string | undefined, time: number) => string | undefined;
  clock?: () => number;
}

/**
 * What the harness learns from the load balancer itself while a trial runs: its log, followed line
 * by line from its event ring (written to lb.log), the server state changes in it at HAProxy's own
 * times, and snapshots of its counters — taken on request and whenever a server slot loses or
 * changes its address, so that a slot's totals can be split between the replicas that held it.
 */
export class LbObserver {
  private readonly options: LbObserverOptions;
  private readonly now: () => number;
  private stream: LbEventStream | undefined;
  private file: WriteStream | undefined;
  private readonly states: LbStateEvent[] = [];
  private accessLines = 0;
  private readonly snapshots: LbCountersSnapshot[] = [];
  private readonly pending = new Set<Promise<unknown>>();
  private slotSnapshotDue = false;
  private stopped = false;
  private readonly problems: string[] = [];

  constructor(options: LbObserverOptions) {
    this.options = options;
    this.now = options.clock ?? Date.now;
  }

  /** Starts following the ring from its first line; resolves once the runtime API accepted. */
  async start(): Promise<void> {
    if (this.options.logPath !== undefined) {
      const file = createWriteStream(this.options.logPath);
      file.on('error', (error) => this.problems.push(`lb.log: ${error.message}`));
      this.file = file;
    }
    const stream = new LbEventStream({
      host: this.options.host,
      port: this.options.port,
      ring: EVENT_RING,
      onLine: (line) => this.take(line),
      onProblem: (problem) => this.problems.push(problem),
    });
    this.stream = stream;
    await stream.start();
  }

  /** The state changes so far, each slot's address at the time mapped to the replica that held it. */
  stateEvents(): MappedLbStateEvent[] {
    const slotAddress = new Map<string, string>();
    return this.states.map((event) => {
      if (event.state === 'address') slotAddress.set(event.slot, event.address ?? '');
      const address = event.state === 'address' ? event.address : slotAddress.get(event.slot);
      return { ...event, replica: this.options.holderAt(address || undefined, event.time) };
    });
  }

  /**
   * The load balancer's own time at which it marked the replica up (or down: down or maintenance).
   * With `since`: the first such change at or after it. Without: the latest change, if it is that one.
   */
  changeTime(replica: string, want: 'up' | 'down', since?: number): number | undefined {
    const wanted = (state: LbStateEvent['state']): boolean => (want === 'up' ? state === 'up' : state === 'down' || state === 'maint');
    const changes = this.stateEvents().filter((e) => e.replica === replica && e.state !== 'address');
    if (since !== undefined) return changes.find((e) => e.time >= since && wanted(e.state))?.time;
    const last = changes.at(-1);
    return last && wanted(last.state) ? last.time : undefined;
  }

  async snapshot(reason: LbCountersReason): Promise<LbCountersSnapshot> {
    const { host, port } = this.options;
    const [csv, sinks] = await Promise.all([runtimeApiCommand(host, port, 'show stat'), runtimeApiCommand(host, port, 'show events')]);
    const time = this.now();
    const stats = parseStats(csv, FRONTEND, BACKEND);
    const snapshot: LbCountersSnapshot = {
      time,
      ...reason,
      frontend: stats.frontend ?? { requests: 0, responses: noResponses(), requestErrors: 0, connections: 0 },
      backend: stats.backend ?? noTraffic(),
      servers: stats.servers.map((server) => ({ ...server, replica: this.options.holderAt(server.address ?? undefined, time) ?? null })),
      logSinks: parseLogSinks(sinks),
      streamedLines: this.stream?.lineCount ?? 0,
      streamedAccessLines: this.accessLines,
    };
    this.snapshots.push(snapshot);
    return snapshot;
  }

  /** Every snapshot so far, in time order. */
  counterSnapshots(): LbCountersSnapshot[] {
    return [...this.snapshots].sort((a, b) => a.time - b.time);
  }

  /**
   * Takes the end snapshot, waits until every line the ring holds has reached the harness (a
   * one-shot dump counts them), stops following and closes lb.log. Returns what the record may lack.
   */
  async finish(): Promise<string[]> {
    const stream = this.stream;
    if (stream && !this.stopped) {
      while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
      await this.snapshot({ reason: 'end' }).catch((error: unknown) => this.problems.push(`counters at the end: ${message(error)}`));
      const dump = await runtimeApiCommand(this.options.host, this.options.port, `show events ${EVENT_RING}`, 10_000).catch(() => '');
      const inRing = dump.split('\n').filter((raw) => parseRingLine(raw) !== undefined).length;
      const complete = await waitUntil(async () => (stream.lineCount >= inRing ? true : undefined), { timeoutMs: 5000, intervalMs: 20 });
      if (!complete) this.problems.push(`its ring held ${inRing} lines but ${stream.lineCount} reached the harness`);
    }
    const file = this.file;
    this.file = undefined;
    this.stop();
    if (file) await new Promise<void>((resolve) => file.end(resolve));
    return [...this.problems];
  }

  /** Stops following at once (the cluster is being removed); lb.log keeps what arrived. */
  stop(): void {
    this.stopped = true;
    this.stream?.stop();
    this.file?.end();
    this.file = undefined;
  }

  private take(line: LbLogLine): void {
    this.file?.write(`${formatLbLogLine(line)}\n`);
    if (isAccessLine(line.text)) {
      this.accessLines += 1;
      return;
    }
    const event = parseStateEvent(line);
    if (!event) return;
    this.states.push(event);
    // A slot about to serve another replica (or none): its totals so far belong to the one it had.
    if (event.state === 'address' || event.state === 'maint') this.snapshotSlots();
  }

  private snapshotSlots(): void {
    if (this.slotSnapshotDue) return;
    this.slotSnapshotDue = true;
    const task = sleep(10)
      .then(() => {
        this.slotSnapshotDue = false;
        return this.snapshot({ reason: 'slot' });
      })
      .catch((error: unknown) => {
        if (!this.stopped) this.problems.push(`counters at a slot change: ${message(error)}`);
      })
      .finally(() => this.pending.delete(task));
    this.pending.add(task);
  }
}

function noResponses(): LbTrafficCounters['responses'] {
  return { '1xx': 0, '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, other: 0 };
}

function noTraffic(): LbTrafficCounters {
  return { requests: 0, responses: noResponses(), connectionErrors: 0, responseErrors: 0, retries: 0, redispatches: 0, clientAborts: 0, serverAborts: 0 };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
