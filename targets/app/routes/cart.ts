/** The cart of the session: see stores/session-store.ts for the merge, count and version rules. */
import { HttpError, readJson, requireInteger, requireObject, requireString } from '../http.ts';
import type { Cart, SessionStore } from '../stores/session-store.ts';
import { MAX_CART_LINES } from '../stores/session-store.ts';
import { requireSessionId, sessionUnknown } from './session.ts';
import type { Route } from './router.ts';

export const MAX_SKU_LENGTH = 64;
export const MAX_QTY = 1000;

export function cartRoutes({ store }: { store: SessionStore }): Route[] {
  return [
    {
      method: 'GET',
      path: '/cart',
      handle: async (ctx) => {
        const cart = await store.getCart(requireSessionId(ctx));
        if (cart === undefined) throw sessionUnknown();
        return { status: 200, body: cartBody(cart) };
      },
    },
    {
      method: 'POST',
      path: '/cart/items',
      handle: async (ctx) => {
        const sid = requireSessionId(ctx);
        const body = requireObject(await readJson(ctx.req));
        const sku = requireString(body, 'sku', MAX_SKU_LENGTH);
        const qty = requireInteger(body, 'qty', 1, MAX_QTY);
        const result = await store.addItem(sid, { sku, qty });
        if (result.status === 'unknown_session') throw sessionUnknown();
        if (result.status === 'cart_full') throw new HttpError(409, 'cart_full', `a cart holds at most ${MAX_CART_LINES} distinct skus`);
        return { status: 200, body: cartBody(result.cart) };
      },
    },
  ];
}

function cartBody(cart: Cart): Cart {
  return { items: cart.items, count: cart.count, version: cart.version };
}
