/**
 * Stateful placement: sessions live in this process and die with it. Every operation runs to
 * completion within one turn of the event loop, so writes of one session never interleave.
 */
import { countItems, mergeItem, type AddItemResult, type Cart, type CartItem, type Session, type SessionStore } from './session-store.ts';
import { newSessionId } from './session-id.ts';

interface Entry {
  user: string;
  items: CartItem[];
  version: number;
  expiresAt: number;
}

export interface MemoryStoreOptions {
  ttlMs: number;
  now?: () => number;
  /** How often expired sessions are swept out (they are also dropped when touched). */
  sweepEveryMs?: number;
}

export class MemorySessionStore implements SessionStore {
  readonly kind = 'memory' as const;
  private readonly sessions = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(options: MemoryStoreOptions) {
    this.ttlMs = options.ttlMs;
    this.now = options.now ?? Date.now;
    this.sweeper = setInterval(() => this.sweep(), options.sweepEveryMs ?? 60_000);
    this.sweeper.unref();
  }

  get size(): number {
    return this.sessions.size;
  }

  async create(user: string): Promise<Session> {
    const sid = newSessionId();
    this.sessions.set(sid, { user, items: [], version: 0, expiresAt: this.now() + this.ttlMs });
    return { sid, user, cart: { items: [], count: 0, version: 0 } };
  }

  async getCart(sid: string): Promise<Cart | undefined> {
    const entry = this.live(sid);
    return entry === undefined ? undefined : toCart(entry);
  }

  async addItem(sid: string, item: CartItem): Promise<AddItemResult> {
    const entry = this.live(sid);
    if (entry === undefined) return { status: 'unknown_session' };
    const items = mergeItem(entry.items, item);
    if (items === 'cart_full') return { status: 'cart_full' };
    entry.items = items;
    entry.version += 1;
    entry.expiresAt = this.now() + this.ttlMs;
    return { status: 'ok', cart: toCart(entry) };
  }

  async destroy(sid: string): Promise<boolean> {
    const existed = this.live(sid) !== undefined;
    this.sessions.delete(sid);
    return existed;
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }

  private live(sid: string): Entry | undefined {
    const entry = this.sessions.get(sid);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.sessions.delete(sid);
      return undefined;
    }
    return entry;
  }

  private sweep(): void {
    const now = this.now();
    for (const [sid, entry] of this.sessions) if (entry.expiresAt <= now) this.sessions.delete(sid);
  }
}

function toCart(entry: Entry): Cart {
  const items = entry.items.map((line) => ({ sku: line.sku, qty: line.qty }));
  return { items, count: countItems(items), version: entry.version };
}
