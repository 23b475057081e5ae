import { describe, expect, it } from 'vitest';
import { MemorySessionStore } from './memory-store.ts';
import { MAX_CART_LINES, mergeItem } from './session-store.ts';
import { isWellFormedSessionId } from './session-id.ts';

describe('MemorySessionStore', () => {
  it('creates unguessable, distinct, cookie-safe session ids', async () => {
    const store = new MemorySessionStore({ ttlMs: 60_000 });
    const ids = new Set<string>();
    for (let i = 0; i < 200; i += 1) ids.add((await store.create('u')).sid);
    expect(ids.size).toBe(200);
    for (const id of ids) expect(isWellFormedSessionId(id)).toBe(true);
    await store.close();
  });

  it('returns copies, never its own state', async () => {
    const store = new MemorySessionStore({ ttlMs: 60_000 });
    const { sid } = await store.create('u');
    const added = await store.addItem(sid, { sku: 'a', qty: 1 });
    if (added.status !== 'ok') throw new Error(added.status);
    added.cart.items[0]!.qty = 99;
    expect((await store.getCart(sid))?.items).toEqual([{ sku: 'a', qty: 1 }]);
    await store.close();
  });

  it('expires a session after the TTL, renewed by each write', async () => {
    let now = 0;
    const store = new MemorySessionStore({ ttlMs: 1000, now: () => now });
    const { sid } = await store.create('u');
    now = 900;
    expect((await store.addItem(sid, { sku: 'a', qty: 1 })).status).toBe('ok');
    now = 1800;
    expect(await store.getCart(sid)).toMatchObject({ version: 1 });
    now = 1900;
    expect(await store.getCart(sid)).toBeUndefined();
    expect(await store.addItem(sid, { sku: 'a', qty: 1 })).toEqual({ status: 'unknown_session' });
    expect(store.size).toBe(0);
    await store.close();
  });
});

describe('mergeItem', () => {
  it('merges by sku and appends new skus in order', () => {
    const one = mergeItem([], { sku: 'a', qty: 1 });
    const two = mergeItem(one === 'cart_full' ? [] : one, { sku: 'b', qty: 2 });
    const three = mergeItem(two === 'cart_full' ? [] : two, { sku: 'a', qty: 3 });
    expect(three).toEqual([
      { sku: 'a', qty: 4 },
      { sku: 'b', qty: 2 },
    ]);
  });

  it('refuses a new sku when the cart is full, but still merges known ones', () => {
    const full = Array.from({ length: MAX_CART_LINES }, (_, i) => ({ sku: `s${i}`, qty: 1 }));
    expect(mergeItem(full, { sku: 'new', qty: 1 })).toBe('cart_full');
    expect(mergeItem(full, { sku: 's0', qty: 1 })).not.toBe('cart_full');
  });
});
