/** A memory store whose adds can be held at a gate, to have a request in flight on demand. */
import { MemorySessionStore } from '../stores/memory-store.ts';
import type { AddItemResult, Cart, CartItem, Session, SessionStore } from '../stores/session-store.ts';

export class GatedStore implements SessionStore {
  readonly kind = 'memory' as const;
  private readonly inner = new MemorySessionStore({ ttlMs: 60_000 });
  private gate: Promise<void> | undefined;
  private openGate: (() => void) | undefined;
  private onEntered: (() => void) | undefined;
  closed = false;

  /** Holds every later add until release(); resolves `entered` when the first add arrives. */
  hold(): { entered: Promise<void>; release: () => void } {
    const entered = new Promise<void>((resolve) => {
      this.onEntered = resolve;
    });
    this.gate = new Promise<void>((resolve) => {
      this.openGate = resolve;
    });
    return {
      entered,
      release: () => {
        this.gate = undefined;
        this.openGate?.();
      },
    };
  }

  create(user: string): Promise<Session> {
    return this.inner.create(user);
  }

  getCart(sid: string): Promise<Cart | undefined> {
    return this.inner.getCart(sid);
  }

  async addItem(sid: string, item: CartItem): Promise<AddItemResult> {
    if (this.gate !== undefined) {
      this.onEntered?.();
      await this.gate;
    }
    return this.inner.addItem(sid, item);
  }

  destroy(sid: string): Promise<boolean> {
    return this.inner.destroy(sid);
  }

  ping(): Promise<void> {
    return this.inner.ping();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.inner.close();
  }
}
