/**
 * The `seed-ledger` command: its arguments and environment (pure), what it logs and exits with
 * (seed faked; the real seed against Redis is in bank/seed-ledger.test.ts), and the real entry path
 * through main.ts, which must pick the command instead of the server.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SeedRefusedError, type SeedOptions } from './bank/seed-ledger.ts';
import type { LogRecord } from './log.ts';
import { parseSeedCommand, runSeedCommand } from './seed-command.ts';

const env = { REDIS_URL: 'redis://redis:6379' };
const USAGE = ' (usage: seed-ledger <events> [--amount <cents>])';

describe('parseSeedCommand', () => {
  it('reads <events>, --amount (default 100) and REDIS_URL', () => {
    expect(parseSeedCommand(['2000000'], env)).toEqual({ ok: true, command: { events: 2_000_000, amount: 100, redisUrl: 'redis://redis:6379' } });
    expect(parseSeedCommand(['1', '--amount', '1000000000'], env)).toEqual({ ok: true, command: { events: 1, amount: 1_000_000_000, redisUrl: 'redis://redis:6379' } });
    expect(parseSeedCommand(['--amount=250', '500'], { REDIS_URL: ' rediss://r:1 ' })).toEqual({ ok: true, command: { events: 500, amount: 250, redisUrl: 'rediss://r:1' } });
  });

  it('names the argument, the value and what is allowed, in one line', () => {
    const error = (args: string[], e: Record<string, string | undefined> = env): string => {
      const parsed = parseSeedCommand(args, e);
      if (parsed.ok) throw new Error('accepted');
      expect(parsed.error).not.toContain('\n');
      return parsed.error;
    };
    expect(error(['nope'])).toBe(`<events>: "nope" is not allowed; expected an integer from 1 to 2000000${USAGE}`);
    expect(error([])).toBe(`<events>: nothing is not allowed; expected an integer from 1 to 2000000${USAGE}`);
    expect(error(['0'])).toMatch(/^<events>: "0" is not allowed/);
    expect(error(['-5'])).toMatch(/^<events>: "-5" is not allowed/);
    expect(error(['1.5'])).toMatch(/^<events>: "1.5" is not allowed/);
    expect(error(['2000001'])).toMatch(/^<events>: "2000001" is not allowed/);
    expect(error(['10', '--amount'])).toBe(`--amount: nothing is not allowed; expected an integer number of cents from 1 to 1000000000${USAGE}`);
    expect(error(['10', '--amount', '0'])).toMatch(/^--amount: "0" is not allowed; expected an integer number of cents from 1 to 1000000000/);
    expect(error(['10', '--amount', 'x'])).toMatch(/^--amount: "x" is not allowed/);
    expect(error(['10', '--amount', '1000000001'])).toMatch(/^--amount: "1000000001" is not allowed/);
    // 2 000 000 × 1 000 000 000 would pass the balance limit (10^15).
    expect(error(['2000000', '--amount', '1000000000'])).toBe(
      `--amount: "1000000000" is not allowed; expected an integer number of cents from 1 to 500000000 (with 2000000 events: the balance stays at most 1000000000000000)${USAGE}`,
    );
    expect(error(['10', '--amount', '1', '--amount', '2'])).toMatch(/^--amount: "--amount" is not allowed; expected it once/);
    expect(error(['10', '--events', '3'])).toMatch(/^option: "--events" is not allowed; expected --amount <cents> only/);
    expect(error(['10', '20'])).toMatch(/^argument: "20" is not allowed; expected one <events> number only/);
    expect(error(['10'], {})).toBe(`REDIS_URL: nothing is not allowed; expected a redis:// or rediss:// URL such as redis://redis:6379 (required)${USAGE}`);
    expect(error(['10'], { REDIS_URL: 'http://redis:6379' })).toMatch(/^REDIS_URL: "http:\/\/redis:6379" is not allowed/);
    // Arguments are checked before the environment.
    expect(error(['nope'], {})).toMatch(/^<events>:/);
  });
});

describe('runSeedCommand', () => {
  const run = async (args: string[], seed: (url: string, options: SeedOptions) => Promise<never> | Promise<{ account: string; events: number; deposits: number; chunks: number }>) => {
    const out: string[] = [];
    let stderr = '';
    const code = await runSeedCommand(args, env, { sink: (l) => out.push(l), stderr: (t) => (stderr += t), seed });
    return { code, lines: out.map((l) => JSON.parse(l) as LogRecord), stderr };
  };

  it('exits 2 with the message on stderr, without touching Redis', async () => {
    let called = false;
    const result = await run(['nope'], () => {
      called = true;
      return Promise.reject(new Error('unreachable'));
    });
    expect(result).toEqual({ code: 2, lines: [], stderr: `<events>: "nope" is not allowed; expected an integer from 1 to 2000000${USAGE}\n` });
    expect(called).toBe(false);
  });

  it('seeds seed-history and logs one seed_done line', async () => {
    let seen: SeedOptions | undefined;
    const result = await run(['1000', '--amount', '5'], (url, options) => {
      seen = options;
      expect(url).toBe('redis://redis:6379');
      return Promise.resolve({ account: 'seed-history', events: 1001, deposits: 1000, chunks: 1 });
    });
    expect(seen).toMatchObject({ account: 'seed-history', deposits: 1000, amount: 5 });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.lines).toEqual([
      {
        time: expect.any(String),
        level: 'info',
        event: 'seed_done',
        replica: 'seed-ledger',
        events: 1001,
        account: 'seed-history',
        deposits: 1000,
        amount: 5,
        balance: 5000,
        chunks: 1,
        durationMs: expect.any(Number),
        eventsPerSecond: expect.any(Number),
      },
    ]);
  });

  it('exits 1 with seed_failed when Redis fails or the account exists, saying how far it got', async () => {
    const failed = await run(['100000'], (_url, options) => {
      options.onChunk?.(50_001);
      return Promise.reject(new Error('redis: not connected (reconnecting)'));
    });
    expect(failed.code).toBe(1);
    expect(failed.lines).toMatchObject([{ level: 'error', event: 'seed_failed', account: 'seed-history', reason: 'redis', message: 'redis: not connected (reconnecting)', requested: 100_000, appended: 50_001 }]);
    expect(failed.stderr).toBe('seed-ledger: redis: not connected (reconnecting)\n');

    const refused = await run(['10'], () => Promise.reject(new SeedRefusedError('account seed-history exists already', 'account_exists')));
    expect(refused.code).toBe(1);
    expect(refused.lines).toMatchObject([{ event: 'seed_failed', reason: 'account_exists', appended: 0 }]);
  });
});

describe('main.ts seed-ledger', () => {
  it('runs the command instead of the server: bad input exits 2 naming the argument', async () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const child = spawn('npx', ['tsx', 'targets/app/main.ts', 'seed-ledger', 'nope'], {
      cwd: root,
      // No STATE_STORE: the server's configuration would fail differently (config_invalid).
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', REDIS_URL: 'redis://127.0.0.1:1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect({ code, stdout, stderr }).toEqual({ code: 2, stdout: '', stderr: `<events>: "nope" is not allowed; expected an integer from 1 to 2000000${USAGE}\n` });
  });
});
