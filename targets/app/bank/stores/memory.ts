/**
 * Stateful placement of the ledger: accounts, histories and remembered decisions live in this
 * process and die with it (which the experiments must show). Every operation runs to completion
 * within one turn of the event loop, so commands never interleave: no lost update, no overdraft.
 * Remembered decisions are kept for the process' lifetime; they grow like the histories do.
 */
import type { BankStore, HistoryQuery } from '../bank-store.ts';
import { decide } from '../decide.ts';
import { accountsOf, fingerprint, type Account, type AccountState, type Command, type CommandResult, type HistoryEvent, type IdempotencyRecord, type OpenResult } from '../model.ts';

interface Entry extends AccountState {
  events: HistoryEvent[];
}

export interface MemoryBankOptions {
  now?: () => Date;
}

export class MemoryBankStore implements BankStore {
  readonly kind = 'memory' as const;
  private readonly accounts = new Map<string, Entry>();
  private readonly decisions = new Map<string, IdempotencyRecord>();
  private readonly now: () => Date;

  constructor(options: MemoryBankOptions = {}) {
    this.now = options.now ?? (() => new Date());
  }

  start(): void {}

  async open(id: string): Promise<OpenResult> {
    if (this.accounts.has(id)) return { status: 'exists' };
    this.accounts.set(id, { balance: 0, version: 0, events: [] });
    return { status: 'created', account: { id, balance: 0, version: 0 } };
  }

  async get(id: string): Promise<Account | undefined> {
    const entry = this.accounts.get(id);
    return entry === undefined ? undefined : { id, balance: entry.balance, version: entry.version };
  }

  async history(id: string, query: HistoryQuery = { fromSeq: 1 }): Promise<HistoryEvent[] | undefined> {
    const entry = this.accounts.get(id);
    if (entry === undefined) return undefined;
    // seq k sits at index k-1: histories have no gaps.
    return entry.events.slice(Math.max(0, query.fromSeq - 1)).map((event) => ({ ...event }));
  }

  async execute(command: Command): Promise<CommandResult> {
    const fp = fingerprint(command);
    const remembered = this.decisions.get(command.idempotencyKey);
    if (remembered !== undefined) {
      return remembered.fingerprint === fp ? { status: 'decided', decision: remembered.decision, replayed: true } : { status: 'key_reused' };
    }
    const entries: Entry[] = [];
    for (const id of accountsOf(command)) {
      const entry = this.accounts.get(id);
      if (entry === undefined) return { status: 'account_unknown', account: id };
      entries.push(entry);
    }
    const plan = decide(command, entries, this.now().toISOString());
    plan.next.forEach((state, i) => {
      const entry = entries[i];
      if (entry === undefined) return;
      entry.balance = state.balance;
      entry.version = state.version;
    });
    plan.events.forEach(({ event }, i) => entries[i]?.events.push(event));
    this.decisions.set(command.idempotencyKey, { fingerprint: fp, decision: plan.decision });
    return { status: 'decided', decision: plan.decision, replayed: false };
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}
}
