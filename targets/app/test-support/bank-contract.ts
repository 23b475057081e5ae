/**
 * The bank part of the app's HTTP contract (targets/app/README.md), asserted over real HTTP. Registered once per bank
 * store (memory, redis, event-log), so the three placements answer exactly alike.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { request, type HttpResponse } from './http-client.ts';
import type { TestApp } from './test-app.ts';

export interface AccountBody {
  id: string;
  balance: number;
  version: number;
}

export interface HistoryBody {
  events: { seq: number; type: string; amount: number; idempotencyKey: string; at: string; counterparty?: string }[];
}

/** Ids unique across tests and runs, so tests sharing one Redis never meet. */
export const uniqueId = (prefix = 'acct'): string => `${prefix}-${randomBytes(6).toString('hex')}`;

/** Small helpers over one app's port. */
export function bankClient(port: number) {
  const call = (method: string, path: string, body?: unknown): Promise<HttpResponse> => request(port, method, path, body === undefined ? {} : { body });
  let keys = 0;
  const key = (): string => `key-${randomBytes(4).toString('hex')}-${(keys += 1)}`;
  return {
    call,
    key,
    open: (id: string) => call('POST', '/accounts', { id }),
    get: (id: string) => call('GET', `/accounts/${id}`),
    history: (id: string, query = '') => call('GET', `/accounts/${id}/history${query}`),
    deposit: (id: string, amount: number, idempotencyKey = key()) => call('POST', `/accounts/${id}/deposit`, { amount, idempotencyKey }),
    withdraw: (id: string, amount: number, idempotencyKey = key()) => call('POST', `/accounts/${id}/withdraw`, { amount, idempotencyKey }),
    transfer: (from: string, to: string, amount: number, idempotencyKey = key()) => call('POST', '/transfers', { from, to, amount, idempotencyKey }),
  };
}

export function bankContractTests(start: () => Promise<TestApp>, replica: string): void {
  let t: TestApp;
  let bank: ReturnType<typeof bankClient>;
  beforeAll(async () => {
    t = await start();
    bank = bankClient(t.port);
  });
  afterAll(async () => {
    await t?.stop();
  });

  const expectJson = (res: HttpResponse, status: number): void => {
    expect(res.status, res.text).toBe(status);
    expect(res.headers['x-replica']).toBe(replica);
    expect(res.headers['content-type']).toBe('application/json');
  };
  const opened = async (): Promise<string> => {
    const id = uniqueId();
    expectJson(await bank.open(id), 201);
    return id;
  };

  it('opens an account at balance 0, version 0, and refuses the same id twice with 409', async () => {
    const id = uniqueId();
    const res = await bank.open(id);
    expectJson(res, 201);
    expect(res.json).toEqual({ id, balance: 0, version: 0 });
    const again = await bank.open(id);
    expectJson(again, 409);
    expect(again.json).toEqual({ error: 'account_exists' });
    const read = await bank.get(id);
    expectJson(read, 200);
    expect(read.json).toEqual({ id, balance: 0, version: 0 });
  });

  it('picks an id when the body names none, or when there is no body', async () => {
    for (const res of [await bank.call('POST', '/accounts', {}), await bank.call('POST', '/accounts')]) {
      expectJson(res, 201);
      const body = res.json as AccountBody;
      expect(body).toMatchObject({ balance: 0, version: 0 });
      expect(body.id).toMatch(/^[A-Za-z0-9_.-]{1,64}$/);
      expect((await bank.get(body.id)).json).toEqual(body);
    }
  });

  it('answers 404 account_unknown for an unknown account, on every account route', async () => {
    const id = uniqueId('never');
    for (const res of [await bank.get(id), await bank.history(id), await bank.get('bad%20id'), await bank.deposit(id, 1), await bank.withdraw(id, 1)]) {
      expectJson(res, 404);
      expect(res.json).toEqual({ error: 'account_unknown' });
    }
    const known = await opened();
    for (const res of [await bank.transfer(id, known, 1), await bank.transfer(known, id, 1)]) {
      expectJson(res, 404);
      expect(res.json).toMatchObject({ error: 'account_unknown' });
    }
    // Nothing was remembered for the keys of those requests: nothing was decided.
    expect((await bank.get(known)).json).toMatchObject({ balance: 0, version: 0 });
  });

  it('deposits and withdraws, each answering the new balance and version', async () => {
    const id = await opened();
    const deposit = await bank.deposit(id, 1000);
    expectJson(deposit, 200);
    expect(deposit.json).toEqual({ balance: 1000, version: 1 });
    const withdraw = await bank.withdraw(id, 300);
    expectJson(withdraw, 200);
    expect(withdraw.json).toEqual({ balance: 700, version: 2 });
    expect((await bank.get(id)).json).toEqual({ id, balance: 700, version: 2 });
  });

  it('refuses an overdraft with 409 insufficient_funds and changes nothing', async () => {
    const id = await opened();
    await bank.deposit(id, 100);
    const res = await bank.withdraw(id, 101);
    expectJson(res, 409);
    expect(res.json).toEqual({ error: 'insufficient_funds' });
    expect((await bank.get(id)).json).toEqual({ id, balance: 100, version: 1 });
    // Withdrawing the whole balance is fine: 0 is not an overdraft.
    expect((await bank.withdraw(id, 100)).json).toEqual({ balance: 0, version: 2 });
  });

  it('transfers between two accounts, or refuses with 409 and changes neither', async () => {
    const a = await opened();
    const b = await opened();
    await bank.deposit(a, 500);
    const res = await bank.transfer(a, b, 200);
    expectJson(res, 200);
    expect(res.json).toEqual({ from: { balance: 300, version: 2 }, to: { balance: 200, version: 1 } });
    const refused = await bank.transfer(a, b, 301);
    expectJson(refused, 409);
    expect(refused.json).toEqual({ error: 'insufficient_funds' });
    expect((await bank.get(a)).json).toEqual({ id: a, balance: 300, version: 2 });
    expect((await bank.get(b)).json).toEqual({ id: b, balance: 200, version: 1 });
  });

  it('keeps a history per account: seq 1..version, type, amount, key, time, and transfer counterparties', async () => {
    const a = await opened();
    const b = await opened();
    const before = Date.now();
    await bank.deposit(a, 1000, 'h-dep');
    await bank.withdraw(a, 100, 'h-wd');
    await bank.transfer(a, b, 250, 'h-tr');
    await bank.withdraw(a, 10_000, 'h-refused');
    const history = await bank.history(a);
    expectJson(history, 200);
    const events = (history.json as HistoryBody).events;
    expect(events.map(({ at: _at, ...rest }) => rest)).toEqual([
      { seq: 1, type: 'deposit', amount: 1000, idempotencyKey: 'h-dep' },
      { seq: 2, type: 'withdraw', amount: 100, idempotencyKey: 'h-wd' },
      { seq: 3, type: 'transfer_out', amount: 250, idempotencyKey: 'h-tr', counterparty: b },
    ]);
    for (const event of events) {
      expect(event.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(Date.parse(event.at)).toBeGreaterThanOrEqual(before - 1000);
    }
    expect(((await bank.history(b)).json as HistoryBody).events.map(({ at: _at, ...rest }) => rest)).toEqual([
      { seq: 1, type: 'transfer_in', amount: 250, idempotencyKey: 'h-tr', counterparty: a },
    ]);
    expect(((await bank.history(a, '?fromSeq=3')).json as HistoryBody).events.map((e) => e.seq)).toEqual([3]);
    expect(((await bank.history(a, '?fromSeq=9')).json as HistoryBody).events).toEqual([]);
    expect((await bank.history(await opened())).json).toEqual({ events: [] });
  });

  it('answers a repeated idempotency key with the first answer and changes nothing', async () => {
    const a = await opened();
    const b = await opened();
    const first = await bank.deposit(a, 700, 'same-dep');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    await bank.withdraw(a, 100);
    const again = await bank.deposit(a, 700, 'same-dep');
    expectJson(again, 200);
    expect(again.json).toEqual(first.json);
    expect(again.headers['idempotent-replayed']).toBe('true');

    const transfer = await bank.transfer(a, b, 50, 'same-tr');
    expect((await bank.transfer(a, b, 50, 'same-tr')).json).toEqual(transfer.json);
    expect((await bank.get(a)).json).toEqual({ id: a, balance: 550, version: 3 });
    expect((await bank.get(b)).json).toEqual({ id: b, balance: 50, version: 1 });
    const keys = ((await bank.history(a)).json as HistoryBody).events.map((e) => e.idempotencyKey);
    expect(keys.filter((k) => k === 'same-dep')).toHaveLength(1);
    expect(keys.filter((k) => k === 'same-tr')).toHaveLength(1);
  });

  it('remembers a refusal too: the same key stays refused after the funds arrive', async () => {
    const id = await opened();
    const refused = await bank.withdraw(id, 50, 'wd-early');
    expectJson(refused, 409);
    await bank.deposit(id, 100);
    const again = await bank.withdraw(id, 50, 'wd-early');
    expectJson(again, 409);
    expect(again.json).toEqual({ error: 'insufficient_funds' });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect((await bank.get(id)).json).toEqual({ id, balance: 100, version: 1 });
  });

  it('refuses a key reused for a different request with 422, changing nothing', async () => {
    const a = await opened();
    const b = await opened();
    await bank.deposit(a, 100, 'reuse-1');
    for (const res of [await bank.deposit(a, 101, 'reuse-1'), await bank.withdraw(a, 100, 'reuse-1'), await bank.deposit(b, 100, 'reuse-1')]) {
      expectJson(res, 422);
      expect(res.json).toMatchObject({ error: 'idempotency_key_reused' });
    }
    expect((await bank.get(a)).json).toEqual({ id: a, balance: 100, version: 1 });
    expect((await bank.get(b)).json).toEqual({ id: b, balance: 0, version: 0 });
  });

  it('answers 400 bad_request naming the field for bad bodies', async () => {
    const a = await opened();
    const b = await opened();
    const cases: [string, unknown, string][] = [
      [`/accounts/${a}/deposit`, { idempotencyKey: 'k' }, 'amount'],
      [`/accounts/${a}/deposit`, { amount: 0, idempotencyKey: 'k' }, 'amount'],
      [`/accounts/${a}/deposit`, { amount: -5, idempotencyKey: 'k' }, 'amount'],
      [`/accounts/${a}/deposit`, { amount: 1.5, idempotencyKey: 'k' }, 'amount'],
      [`/accounts/${a}/deposit`, { amount: '5', idempotencyKey: 'k' }, 'amount'],
      [`/accounts/${a}/deposit`, { amount: 1_000_000_001, idempotencyKey: 'k' }, 'amount'],
      [`/accounts/${a}/withdraw`, { amount: 5 }, 'idempotencyKey'],
      [`/accounts/${a}/withdraw`, { amount: 5, idempotencyKey: '' }, 'idempotencyKey'],
      [`/accounts/${a}/withdraw`, { amount: 5, idempotencyKey: 'has space' }, 'idempotencyKey'],
      [`/accounts/${a}/withdraw`, { amount: 5, idempotencyKey: 'k'.repeat(129) }, 'idempotencyKey'],
      ['/transfers', { from: a, to: a, amount: 5, idempotencyKey: 'k' }, 'to'],
      ['/transfers', { to: b, amount: 5, idempotencyKey: 'k' }, 'from'],
      ['/transfers', { from: a, to: 'x y', amount: 5, idempotencyKey: 'k' }, 'to'],
      ['/accounts', { id: 'has space' }, 'id'],
      ['/accounts', { id: 'x'.repeat(65) }, 'id'],
      ['/accounts', '[1]', 'object'],
      [`/accounts/${a}/deposit`, '{nope', 'JSON'],
    ];
    for (const [path, body, mentions] of cases) {
      const res = await bank.call('POST', path, typeof body === 'string' ? body : JSON.stringify(body));
      expectJson(res, 400);
      expect((res.json as { error: string }).error, `${path} ${JSON.stringify(body)}`).toBe('bad_request');
      expect((res.json as { detail: string }).detail).toContain(mentions);
    }
    const badSeq = await bank.history(a, '?fromSeq=0');
    expectJson(badSeq, 400);
    expect((await bank.get(a)).json).toEqual({ id: a, balance: 0, version: 0 });
  });

  it('answers 405 with Allow for a wrong method', async () => {
    const id = await opened();
    const res = await bank.call('GET', `/accounts/${id}/deposit`);
    expectJson(res, 405);
    expect(res.headers.allow).toBe('POST');
    expect((await bank.call('DELETE', '/transfers')).headers.allow).toBe('POST');
  });
}

/**
 * Many clients withdrawing from one account at once, spread round robin over the given app ports
 * (each request on its own connection), some of them sending their request twice with the same key
 * to two different replicas (a client retrying an unanswered request). Returns the answers.
 */
export async function concurrentWithdrawals(
  ports: readonly number[],
  id: string,
  options: { clients: number; amount: number; duplicates?: number },
): Promise<HttpResponse[]> {
  const requests: Promise<HttpResponse>[] = [];
  for (let i = 0; i < options.clients; i += 1) {
    const port = ports[i % ports.length] ?? 0;
    const body = { amount: options.amount, idempotencyKey: `conc-${id}-${i}` };
    requests.push(request(port, 'POST', `/accounts/${id}/withdraw`, { body, timeoutMs: 15_000 }));
    if (i < (options.duplicates ?? 0)) {
      const other = ports[(i + 1) % ports.length] ?? port;
      requests.push(request(other, 'POST', `/accounts/${id}/withdraw`, { body, timeoutMs: 15_000 }));
    }
  }
  return Promise.all(requests);
}

/** Balance, version and history agree: seq 1..version without gaps or duplicates, each key once, never below 0. */
export function expectConsistent(account: AccountBody, history: HistoryBody): void {
  const events = history.events;
  expect(events.map((e) => e.seq)).toEqual(Array.from({ length: account.version }, (_, i) => i + 1));
  expect(new Set(events.map((e) => e.idempotencyKey)).size).toBe(events.length);
  let balance = 0;
  for (const event of events) {
    balance += event.type === 'deposit' || event.type === 'transfer_in' ? event.amount : -event.amount;
    expect(balance, `balance after seq ${event.seq}`).toBeGreaterThanOrEqual(0);
  }
  expect(balance).toBe(account.balance);
}
