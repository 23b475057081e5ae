/**
 * `node app.cjs seed-ledger <events> [--amount <cents>]` (REDIS_URL set): the one-shot command the
 * harness runs in a short-lived container before an event-sourced cluster's replicas start, so the log
 * they replay holds a long history (bank/seed-ledger.ts). Lives in the app's bundle so the image needs
 * nothing else. Parsing is pure (arguments and environment in, result out) so it is unit-tested.
 *
 * `<events>` deposits go to account `seed-history` (balance events × amount, history seq 1..events),
 * after its `opened` entry: the log grows by events + 1. Exit codes: 0 done (one `seed_done` log line
 * on stdout), 1 Redis failed or the account exists already (`seed_failed`, and the message on stderr),
 * 2 bad arguments (one line on stderr naming the argument, its value and what is allowed).
 */
import { isRedisUrl, type Env } from './config.ts';
import { createLogger, errorMessage, stdoutSink, type LogSink } from './log.ts';
import { MAX_SEED_DEPOSITS, SEED_ACCOUNT, SeedRefusedError, seedLedgerAt, type SeedOptions, type SeedResult } from './bank/seed-ledger.ts';
import { MAX_AMOUNT, MAX_BALANCE } from './bank/model.ts';

export const SEED_COMMAND = 'seed-ledger';
export const SEED_USAGE = `${SEED_COMMAND} <events> [--amount <cents>]`;
export const DEFAULT_SEED_AMOUNT = 100;

export interface SeedCommand {
  /** Deposits to append (the log grows by one more: the account's opening). */
  events: number;
  amount: number;
  redisUrl: string;
}

export type SeedCommandParse = { ok: true; command: SeedCommand } | { ok: false; error: string };

/** Arguments after `seed-ledger`; the first problem found, as one line. */
export function parseSeedCommand(args: readonly string[], env: Env): SeedCommandParse {
  const fail = (name: string, value: string | undefined, allowed: string): SeedCommandParse => ({
    ok: false,
    error: `${name}: ${value === undefined ? 'nothing' : JSON.stringify(value)} is not allowed; expected ${allowed} (usage: ${SEED_USAGE})`,
  });

  let eventsRaw: string | undefined;
  let amountRaw: string | undefined;
  let amountSeen = false;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (arg === '--amount' || arg.startsWith('--amount=')) {
      if (amountSeen) return fail('--amount', arg, 'it once');
      amountSeen = true;
      if (arg === '--amount') {
        amountRaw = args[i + 1];
        i += 1;
        if (amountRaw === undefined) return fail('--amount', undefined, `an integer number of cents from 1 to ${MAX_AMOUNT}`);
      } else {
        amountRaw = arg.slice('--amount='.length);
      }
    } else if (arg.startsWith('-') && !/^-\d/.test(arg)) {
      return fail('option', arg, '--amount <cents> only');
    } else if (eventsRaw === undefined) {
      eventsRaw = arg;
    } else {
      return fail('argument', arg, 'one <events> number only');
    }
  }

  const events = integer(eventsRaw);
  if (events === undefined || events < 1 || events > MAX_SEED_DEPOSITS) return fail('<events>', eventsRaw, `an integer from 1 to ${MAX_SEED_DEPOSITS}`);

  // The balance reaches events × amount and must stay within the ledger's limit.
  const maxAmount = Math.min(MAX_AMOUNT, Math.floor(MAX_BALANCE / events));
  let amount = DEFAULT_SEED_AMOUNT;
  if (amountRaw !== undefined) {
    const value = integer(amountRaw);
    const limit = maxAmount < MAX_AMOUNT ? ` (with ${events} events: the balance stays at most ${MAX_BALANCE})` : '';
    if (value === undefined || value < 1 || value > maxAmount) return fail('--amount', amountRaw, `an integer number of cents from 1 to ${maxAmount}${limit}`);
    amount = value;
  }

  const url = env.REDIS_URL?.trim();
  if (url === undefined || url === '' || !isRedisUrl(url)) return fail('REDIS_URL', env.REDIS_URL, 'a redis:// or rediss:// URL such as redis://redis:6379 (required)');

  return { ok: true, command: { events, amount, redisUrl: url } };
}

export interface SeedCommandDeps {
  sink?: LogSink;
  stderr?: (text: string) => void;
  seed?: (url: string, options: SeedOptions) => Promise<SeedResult>;
}

/** Runs the command; resolves with the exit code (never rejects). */
export async function runSeedCommand(args: readonly string[], env: Env, deps: SeedCommandDeps = {}): Promise<number> {
  const stderr = deps.stderr ?? ((text: string) => void process.stderr.write(text));
  const parsed = parseSeedCommand(args, env);
  if (!parsed.ok) {
    stderr(`${parsed.error}\n`);
    return 2;
  }
  const { events, amount, redisUrl } = parsed.command;
  const log = createLogger(env.REPLICA_NAME?.trim() || SEED_COMMAND, deps.sink ?? stdoutSink);
  const seed = deps.seed ?? seedLedgerAt;
  const began = performance.now();
  let appended = 0;
  try {
    const result = await seed(redisUrl, { account: SEED_ACCOUNT, deposits: events, amount, onChunk: (n) => (appended = n) });
    const durationMs = performance.now() - began;
    log.info('seed_done', {
      events: result.events,
      account: result.account,
      deposits: result.deposits,
      amount,
      balance: result.deposits * amount,
      chunks: result.chunks,
      durationMs: Math.round(durationMs),
      eventsPerSecond: Math.round((result.events / Math.max(durationMs, 0.001)) * 1000),
    });
    return 0;
  } catch (error) {
    const message = errorMessage(error);
    log.error('seed_failed', {
      account: SEED_ACCOUNT,
      reason: error instanceof SeedRefusedError ? error.reason : 'redis',
      message,
      requested: events,
      appended,
      durationMs: Math.round(performance.now() - began),
    });
    stderr(`${SEED_COMMAND}: ${message}\n`);
    return 1;
  }
}

function integer(raw: string | undefined): number | undefined {
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
  const value = Number(raw);
  return Number.isSafeInteger(value) ? value : undefined;
}
