/**
 * Where client state lives. The same routes run on every implementation; only the placement differs:
 * process memory (stateful: lost with the replica) or Redis (stateless: shared by all replicas).
 *
 * Cart semantics (same for every store):
 * - `items` merges by sku: adding a sku already in the cart raises its qty; new skus are appended,
 *   so items stay in first-added order.
 * - `count` is the total quantity (sum of qty), so a client that sums what it added knows exactly
 *   what the server must show; a smaller count means state was lost.
 * - `version` is 0 at login and +1 on every write of the session, so a client that reads a version
 *   below the last one it was answered reads state behind what it wrote.
 */
import type { StoreKind } from '../config.ts';

export interface CartItem {
  sku: string;
  qty: number;
}

export interface Cart {
  items: CartItem[];
  count: number;
  version: number;
}

export interface Session {
  sid: string;
  user: string;
  cart: Cart;
}

/** At most this many distinct skus per cart, so a session's size (and the answer's) stays bounded. */
export const MAX_CART_LINES = 200;

export type AddItemResult =
  | { status: 'ok'; cart: Cart }
  | { status: 'unknown_session' }
  | { status: 'cart_full' };

export interface SessionStore {
  readonly kind: StoreKind;
  create(user: string): Promise<Session>;
  /** undefined when the session does not exist (never created, logged out, expired, or lost). */
  getCart(sid: string): Promise<Cart | undefined>;
  /** Atomic per session: concurrent adds to one session all land, each with its own version. */
  addItem(sid: string, item: CartItem): Promise<AddItemResult>;
  /** true when a session was removed. */
  destroy(sid: string): Promise<boolean>;
  /** Resolves when the store can serve; rejects (with the reason) when it cannot. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The store is unreachable or too slow; routes answer 503 store_unavailable. */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

export function countItems(items: readonly CartItem[]): number {
  let total = 0;
  for (const item of items) total += item.qty;
  return total;
}

/** The merge rule, shared by the memory store and (in Lua) mirrored by the Redis store. */
export function mergeItem(items: readonly CartItem[], item: CartItem): CartItem[] | 'cart_full' {
  const index = items.findIndex((line) => line.sku === item.sku);
  if (index >= 0) return items.map((line, i) => (i === index ? { sku: line.sku, qty: line.qty + item.qty } : { ...line }));
  if (items.length >= MAX_CART_LINES) return 'cart_full';
  return [...items.map((line) => ({ ...line })), { sku: item.sku, qty: item.qty }];
}
