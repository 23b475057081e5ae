/**
 * Where the ledger lives. The bank routes run unchanged on every implementation; only the placement
 * differs, as for sessions:
 * - memory (stateful): accounts in this replica's memory, lost with it;
 * - redis (stateless): balances and histories in Redis, each write one atomic Lua script;
 * - event-log (event-sourced): an append-only log in Redis; replicas answer from an in-memory
 *   projection rebuilt by replay from the latest snapshot.
 * Every write is atomic per command (a transfer changes both accounts or neither) and safe under
 * concurrency from any number of replicas sharing the store: no lost update, no overdraft.
 */
import type { Account, Command, CommandResult, HistoryEvent, OpenResult } from './model.ts';

export type BankStoreKind = 'memory' | 'redis' | 'event-log';

export interface BankStartHooks {
  /** Called when the store's ability to serve changed (e.g. its replay is done), so readiness can tell at once instead of at its next poll. */
  onReadinessChange?: () => void;
}

export interface HistoryQuery {
  /** Only events with seq ≥ fromSeq (1 = all). */
  fromSeq: number;
}

export interface BankStore {
  readonly kind: BankStoreKind;
  /** Begins background work (replay, tailing, snapshots); the app calls it once, at start. */
  start(hooks?: BankStartHooks): void;
  open(id: string): Promise<OpenResult>;
  /** undefined when no such account exists. */
  get(id: string): Promise<Account | undefined>;
  /** undefined when no such account exists. */
  history(id: string, query?: HistoryQuery): Promise<HistoryEvent[] | undefined>;
  execute(command: Command): Promise<CommandResult>;
  /** Resolves when the store can serve (reachable, replay done); rejects with the reason otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A write kept losing the optimistic-concurrency race (event-log store) and gave up after its
 * bounded retries; nothing was applied, so the client may safely retry with the same key.
 */
export class WriteConflictError extends Error {
  constructor(
    message: string,
    readonly attempts: number,
  ) {
    super(message);
    this.name = 'WriteConflictError';
  }
}
