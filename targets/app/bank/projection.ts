/**
 * The event-log store's read model: every account's balance and version, computed by applying the
 * log's entries in stream order, and the position it covers (the last applied entry id and how many
 * entries that is from the start of the log). Pure and synchronous, so a snapshot taken between two
 * applications is consistent with the stream id it names.
 *
 * Applying is idempotent: an entry at or before the position is skipped, and per account an event
 * whose seq is not above the account's version is skipped; so overlapping fetches (the tail and a
 * catch-up) can both deliver the same entries. Things that cannot happen when the log is written
 * through the store (a gap in an account's seq, an event for an account never opened, a malformed
 * entry) are counted and reported, never silently absorbed.
 */
import { decodeLogEvent, EVENT_FIELD, legsOf, type LogEvent } from './log-events.ts';
import type { AccountState } from './model.ts';
import { compareStreamIds, STREAM_START } from './stream-id.ts';

/** An entry as ioredis returns it from XRANGE / XREAD: [id, [field, value, …]]. */
export type StreamEntry = [id: string, fields: string[]];

export interface ProjectionState {
  /** Last entry applied (STREAM_START for none). */
  streamId: string;
  /** Entries applied from the start of the log. */
  events: number;
  /** [id, balance, version] per account, compact because snapshots carry it. */
  accounts: [string, number, number][];
}

export type AnomalyKind = 'gap' | 'unknown_account' | 'reopened' | 'malformed';

export type AnomalyListener = (kind: AnomalyKind, detail: Readonly<Record<string, unknown>>) => void;

export class Projection {
  private readonly accounts = new Map<string, AccountState>();
  private last: string;
  private count: number;
  readonly anomalies: Record<AnomalyKind, number> = { gap: 0, unknown_account: 0, reopened: 0, malformed: 0 };

  constructor(
    from?: ProjectionState,
    private readonly onAnomaly: AnomalyListener = () => undefined,
  ) {
    this.last = from?.streamId ?? STREAM_START;
    this.count = from?.events ?? 0;
    for (const [id, balance, version] of from?.accounts ?? []) this.accounts.set(id, { balance, version });
  }

  get lastId(): string {
    return this.last;
  }

  /** Entries applied from the start of the log (snapshot included). */
  get events(): number {
    return this.count;
  }

  get size(): number {
    return this.accounts.size;
  }

  get(id: string): AccountState | undefined {
    const state = this.accounts.get(id);
    return state === undefined ? undefined : { ...state };
  }

  /** Applies the entries after the current position, in order; returns how many it applied. */
  applyEntries(entries: readonly StreamEntry[]): number {
    let applied = 0;
    for (const [id, fields] of entries) {
      if (compareStreamIds(id, this.last) <= 0) continue;
      this.applyOne(id, fields);
      this.last = id;
      this.count += 1;
      applied += 1;
    }
    return applied;
  }

  /** The state to snapshot, consistent with `streamId` (nothing can run between the lines of this function). */
  toState(): ProjectionState {
    const accounts: [string, number, number][] = [];
    for (const [id, state] of this.accounts) accounts.push([id, state.balance, state.version]);
    return { streamId: this.last, events: this.count, accounts };
  }

  private applyOne(id: string, fields: readonly string[]): void {
    const index = fields.indexOf(EVENT_FIELD);
    const text = index >= 0 && index % 2 === 0 ? fields[index + 1] : undefined;
    let event: LogEvent;
    try {
      if (text === undefined) throw new Error(`no ${EVENT_FIELD} field`);
      event = decodeLogEvent(text);
    } catch (error) {
      this.report('malformed', { streamId: id, error });
      return;
    }
    if (event.type === 'opened') {
      if (this.accounts.has(event.account)) this.report('reopened', { streamId: id, account: event.account });
      else this.accounts.set(event.account, { balance: 0, version: 0 });
      return;
    }
    for (const leg of legsOf(event)) {
      const state = this.accounts.get(leg.account);
      if (state === undefined) {
        this.report('unknown_account', { streamId: id, account: leg.account });
        continue;
      }
      if (leg.seq <= state.version) continue;
      if (leg.seq !== state.version + 1) this.report('gap', { streamId: id, account: leg.account, version: state.version, seq: leg.seq });
      state.balance += leg.delta;
      state.version = leg.seq;
    }
  }

  private report(kind: AnomalyKind, detail: Readonly<Record<string, unknown>>): void {
    this.anomalies[kind] += 1;
    this.onAnomaly(kind, detail);
  }
}
