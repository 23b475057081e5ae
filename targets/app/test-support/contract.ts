/**
 * The app's HTTP contract (targets/app/README.md) (cart and health part), asserted over real HTTP. Registered once per
 * store, so the stateful and the stateless placement answer exactly alike.
 */
import { Agent } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { request, sessionCookie, type HttpResponse } from './http-client.ts';
import type { TestApp } from './test-app.ts';

interface CartBody {
  items: { sku: string; qty: number }[];
  count: number;
  version: number;
}

export function contractTests(start: () => Promise<TestApp>, replica: string): void {
  let t: TestApp;
  beforeAll(async () => {
    t = await start();
  });
  afterAll(async () => {
    await t?.stop();
  });

  const call = (method: string, path: string, options: Parameters<typeof request>[3] = {}): Promise<HttpResponse> =>
    request(t.port, method, path, options);

  const login = async (user = 'ann'): Promise<string> => sessionCookie(await call('POST', '/login', { body: { user } }));

  const expectJson = (res: HttpResponse, status: number): void => {
    expect(res.status, res.text).toBe(status);
    expect(res.headers['x-replica']).toBe(replica);
    expect(res.headers['content-type']).toBe('application/json');
  };

  it('answers /healthz and /readyz with 200', async () => {
    expectJson(await call('GET', '/healthz'), 200);
    const ready = await call('GET', '/readyz');
    expectJson(ready, 200);
    expect(ready.json).toMatchObject({ status: 'ready' });
  });

  it('logs in with a random sid cookie: sid=…; Path=/; HttpOnly', async () => {
    const res = await call('POST', '/login', { body: { user: 'ann' } });
    expectJson(res, 200);
    const body = res.json as { sid: string; user: string };
    expect(body.user).toBe('ann');
    expect(body.sid).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(res.headers['set-cookie']).toEqual([`sid=${body.sid}; Path=/; HttpOnly`]);
    const again = (await call('POST', '/login', { body: { user: 'ann' } })).json as { sid: string };
    expect(again.sid).not.toBe(body.sid);
  });

  it('starts an empty cart at version 0 and bumps the version on every add', async () => {
    const cookie = await login();
    const empty = await call('GET', '/cart', { cookie });
    expectJson(empty, 200);
    expect(empty.json).toEqual({ items: [], count: 0, version: 0 });

    const first = await call('POST', '/cart/items', { cookie, body: { sku: 'apple', qty: 2 } });
    expectJson(first, 200);
    expect(first.json).toEqual({ items: [{ sku: 'apple', qty: 2 }], count: 2, version: 1 });

    await call('POST', '/cart/items', { cookie, body: { sku: 'pear', qty: 1 } });
    const merged = await call('POST', '/cart/items', { cookie, body: { sku: 'apple', qty: 3 } });
    // Merged by sku in first-added order; count is the total quantity.
    expect(merged.json).toEqual({ items: [{ sku: 'apple', qty: 5 }, { sku: 'pear', qty: 1 }], count: 6, version: 3 });

    const read = await call('GET', '/cart', { cookie });
    expect(read.json).toEqual(merged.json);
  });

  it('keeps sessions apart', async () => {
    const a = await login('a');
    const b = await login('b');
    await call('POST', '/cart/items', { cookie: a, body: { sku: 'x', qty: 1 } });
    expect(((await call('GET', '/cart', { cookie: b })).json as CartBody).count).toBe(0);
  });

  it('answers 401 session_unknown without a known sid', async () => {
    const cases: [string, string, string | undefined][] = [
      ['GET', '/cart', undefined],
      ['GET', '/cart', 'sid=AAAAAAAAAAAAAAAAAAAAAAAA'],
      ['GET', '/cart', 'sid=../../etc'],
      ['GET', '/cart', 'other=1'],
      ['POST', '/cart/items', 'sid=AAAAAAAAAAAAAAAAAAAAAAAA'],
      ['POST', '/logout', undefined],
      ['POST', '/logout', 'sid=AAAAAAAAAAAAAAAAAAAAAAAA'],
    ];
    for (const [method, path, cookie] of cases) {
      const options = method === 'POST' && path === '/cart/items' ? { body: { sku: 'x', qty: 1 } } : {};
      const res = await call(method, path, cookie === undefined ? options : { ...options, cookie });
      expectJson(res, 401);
      expect(res.json, `${method} ${path} ${cookie ?? ''}`).toEqual({ error: 'session_unknown' });
    }
  });

  it('logs out with 204, after which the session is unknown', async () => {
    const cookie = await login();
    await call('POST', '/cart/items', { cookie, body: { sku: 'x', qty: 1 } });
    const out = await call('POST', '/logout', { cookie });
    expect(out.status).toBe(204);
    expect(out.text).toBe('');
    expect(out.headers['x-replica']).toBe(replica);
    for (const res of [
      await call('GET', '/cart', { cookie }),
      await call('POST', '/cart/items', { cookie, body: { sku: 'x', qty: 1 } }),
      await call('POST', '/logout', { cookie }),
    ]) {
      expectJson(res, 401);
      expect(res.json).toEqual({ error: 'session_unknown' });
    }
  });

  it('answers 400 bad_request with a detail for bad JSON and bad fields', async () => {
    const cookie = await login();
    const cases: [string, unknown, string][] = [
      ['/login', '{not json', 'JSON'],
      ['/login', '', 'required'],
      ['/login', '[1]', 'object'],
      ['/login', {}, 'user'],
      ['/login', { user: '' }, 'user'],
      ['/login', { user: 42 }, 'user'],
      ['/login', { user: 'x'.repeat(129) }, 'user'],
      ['/cart/items', { qty: 1 }, 'sku'],
      ['/cart/items', { sku: 'a' }, 'qty'],
      ['/cart/items', { sku: 'a', qty: 0 }, 'qty'],
      ['/cart/items', { sku: 'a', qty: -1 }, 'qty'],
      ['/cart/items', { sku: 'a', qty: 1.5 }, 'qty'],
      ['/cart/items', { sku: 'a', qty: '1' }, 'qty'],
      ['/cart/items', { sku: 'a', qty: 1001 }, 'qty'],
      ['/cart/items', 'null', 'object'],
    ];
    for (const [path, body, mentions] of cases) {
      const res = await call('POST', path, { cookie, body: typeof body === 'string' ? body : JSON.stringify(body) });
      expectJson(res, 400);
      const answer = res.json as { error: string; detail: string };
      expect(answer.error, `${path} ${JSON.stringify(body)}`).toBe('bad_request');
      expect(answer.detail).toContain(mentions);
    }
    // Nothing was written by the rejected adds.
    expect(((await call('GET', '/cart', { cookie })).json as CartBody).version).toBe(0);
  });

  it('answers 404 not_found for unknown routes and 405 for a wrong method', async () => {
    for (const path of ['/', '/nope', '/cart/', '/cart/items/1', '/healthz/x', '/%E0%A4%A']) {
      const res = await call('GET', path);
      expectJson(res, 404);
      expect(res.json).toEqual({ error: 'not_found' });
    }
    const wrong = await call('GET', '/login');
    expectJson(wrong, 405);
    expect(wrong.headers.allow).toBe('POST');
    expect(wrong.json).toMatchObject({ error: 'method_not_allowed' });
  });

  it('answers 413 for an oversized body', async () => {
    const res = await call('POST', '/login', { body: JSON.stringify({ user: 'x'.repeat(70 * 1024) }) });
    expectJson(res, 413);
    expect(res.json).toMatchObject({ error: 'payload_too_large' });
  });

  it('serves many requests over one kept-alive connection', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const cookie = sessionCookie(await call('POST', '/login', { body: { user: 'k' }, agent }));
      const answers: HttpResponse[] = [];
      for (let i = 0; i < 5; i += 1) answers.push(await call('POST', '/cart/items', { cookie, agent, body: { sku: `s${i}`, qty: 1 } }));
      answers.push(await call('GET', '/nope', { agent }));
      answers.push(await call('GET', '/cart', { cookie, agent }));
      for (const res of answers) {
        expect(res.reusedSocket).toBe(true);
        expect(res.headers.connection).toBe('keep-alive');
        expect(res.headers['x-replica']).toBe(replica);
      }
      expect(answers.at(-1)?.json).toMatchObject({ count: 5, version: 5 });
      expect(answers[0]?.headers['keep-alive']).toBe('timeout=75');
    } finally {
      agent.destroy();
    }
  });
}
