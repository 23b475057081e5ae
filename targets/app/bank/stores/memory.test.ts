/**
 * The stateful placement of the ledger, in-process: the bank contract, no overdraft under concurrent
 * withdrawals, and the property the experiments must show — a new process has lost every account.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { bankClient, bankContractTests, concurrentWithdrawals, expectConsistent, uniqueId, type AccountBody, type HistoryBody } from '../../test-support/bank-contract.ts';
import { startTestApp, type TestApp } from '../../test-support/test-app.ts';

describe('bank HTTP contract, memory store', () => {
  bankContractTests(() => startTestApp({ replica: 'bank-mem-1' }), 'bank-mem-1');
});

describe('memory bank store', () => {
  const apps: TestApp[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((t) => t.stop()));
  });
  const start = async (replica: string, port = 0): Promise<TestApp> => {
    const t = await startTestApp({ replica, port });
    apps.push(t);
    return t;
  };

  it('never overdraws under 50 concurrent withdrawals, and the history adds up', async () => {
    const t = await start('mem-conc');
    const bank = bankClient(t.port);
    const id = uniqueId();
    await bank.open(id);
    await bank.deposit(id, 1000);
    const answers = await concurrentWithdrawals([t.port], id, { clients: 50, amount: 30, duplicates: 10 });
    expect(answers.filter((r) => r.status === 200 && r.headers['idempotent-replayed'] === undefined)).toHaveLength(33);
    expect(answers.every((r) => r.status === 200 || (r.status === 409 && (r.json as { error: string }).error === 'insufficient_funds'))).toBe(true);
    const account = (await bank.get(id)).json as AccountBody;
    expect(account).toEqual({ id, balance: 10, version: 34 });
    expectConsistent(account, (await bank.history(id)).json as HistoryBody);
  });

  it('loses every account with the process (stateful)', async () => {
    const first = await start('mem-a');
    const id = uniqueId();
    await bankClient(first.port).open(id);
    await bankClient(first.port).deposit(id, 100);
    const port = first.port;
    await first.stop();
    const second = await start('mem-b', port);
    const res = await bankClient(second.port).get(id);
    expect(res.status).toBe(404);
    expect(res.headers['x-replica']).toBe('mem-b');
  });
});
