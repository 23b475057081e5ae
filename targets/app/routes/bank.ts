/**
 * The bank ledger routes of the app's contract (targets/app/README.md); the store (bank/bank-store.ts) decides, this module
 * only reads requests and shapes answers. No session cookie is needed. A replayed idempotency key is
 * answered with the first answer and `Idempotent-Replayed: true`.
 */
import { HttpError, readJson, requireObject, type Reply } from '../http.ts';
import { WriteConflictError, type BankStore } from '../bank/bank-store.ts';
import type { Account, AccountState, Command, CommandResult } from '../bank/model.ts';
import { accountUnknown, fromSeqParam, moneyCommand, newAccountId, optionalAccountId, pathAccountId, transferCommand } from '../bank/validation.ts';
import type { RequestContext, Route } from './router.ts';

export function bankRoutes({ bank }: { bank: BankStore }): Route[] {
  return [
    {
      method: 'POST',
      path: '/accounts',
      handle: async (ctx) => {
        const body = await readOptionalBody(ctx);
        const result = await bank.open(optionalAccountId(body) ?? newAccountId());
        if (result.status === 'exists') throw new HttpError(409, 'account_exists');
        return { status: 201, body: accountBody(result.account) };
      },
    },
    {
      method: 'GET',
      path: '/accounts/:id',
      handle: async (ctx) => {
        const account = await bank.get(pathAccountId(ctx.params.id));
        if (account === undefined) throw accountUnknown();
        return { status: 200, body: accountBody(account) };
      },
    },
    {
      method: 'GET',
      path: '/accounts/:id/history',
      handle: async (ctx) => {
        const id = pathAccountId(ctx.params.id);
        const events = await bank.history(id, { fromSeq: fromSeqParam(ctx.query) });
        if (events === undefined) throw accountUnknown();
        return { status: 200, body: { events } };
      },
    },
    {
      method: 'POST',
      path: '/accounts/:id/deposit',
      handle: async (ctx) => {
        const id = pathAccountId(ctx.params.id);
        return execute(bank, moneyCommand('deposit', id, requireObject(await readJson(ctx.req))));
      },
    },
    {
      method: 'POST',
      path: '/accounts/:id/withdraw',
      handle: async (ctx) => {
        const id = pathAccountId(ctx.params.id);
        return execute(bank, moneyCommand('withdraw', id, requireObject(await readJson(ctx.req))));
      },
    },
    {
      method: 'POST',
      path: '/transfers',
      handle: async (ctx) => execute(bank, transferCommand(requireObject(await readJson(ctx.req)))),
    },
  ];
}

async function execute(bank: BankStore, command: Command): Promise<Reply> {
  let result: CommandResult;
  try {
    result = await bank.execute(command);
  } catch (error) {
    // Nothing was applied: retrying with the same key is safe, hence 503 and Retry-After.
    if (error instanceof WriteConflictError) throw new HttpError(503, 'write_conflict', error.message, { 'Retry-After': '1' });
    throw error;
  }
  return commandReply(command, result);
}

export function commandReply(command: Command, result: CommandResult): Reply {
  if (result.status === 'account_unknown') {
    throw command.kind === 'transfer' ? accountUnknown(`${result.account === command.from ? 'from' : 'to'}: ${result.account}`) : accountUnknown();
  }
  if (result.status === 'key_reused') {
    throw new HttpError(422, 'idempotency_key_reused', 'this idempotencyKey was used for a different request');
  }
  const headers = result.replayed ? { 'Idempotent-Replayed': 'true' } : undefined;
  const { decision } = result;
  if (decision.status === 'refused') {
    return { status: 409, body: { error: decision.reason }, ...(headers === undefined ? {} : { headers }) };
  }
  const [first, second] = decision.balances;
  if (first === undefined || (command.kind === 'transfer' && second === undefined)) throw new Error('an applied decision without its balances');
  const state = (s: AccountState): AccountState => ({ balance: s.balance, version: s.version });
  const body = command.kind === 'transfer' && second !== undefined ? { from: state(first), to: state(second) } : state(first);
  return { status: 200, body, ...(headers === undefined ? {} : { headers }) };
}

function accountBody(account: Account): Account {
  return { id: account.id, balance: account.balance, version: account.version };
}

/** `POST /accounts` may come without a body (the server picks the id). */
async function readOptionalBody(ctx: RequestContext): Promise<Record<string, unknown>> {
  const length = ctx.req.headers['content-length'];
  const chunked = ctx.req.headers['transfer-encoding'] !== undefined;
  if (!chunked && (length === undefined || length === '0')) return {};
  return requireObject(await readJson(ctx.req));
}
