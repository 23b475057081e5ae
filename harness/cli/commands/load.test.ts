import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import yargs from 'yargs';
import { HarnessError, InputError } from '../../core/errors.ts';
import type { LoadEngine } from '../../load/contract.ts';
import { selectEngine } from '../../load/engine.ts';
import { K6ConfigError } from '../../load/metrics/errors.ts';
import { es2017Imports } from '../../load/script-bundle-testkit.ts';
import { loadRunOptions, type LoadArgs } from '../../load/load-flags.ts';
import { loadBuilder, loadCommand, runLoad, type LoadDeps } from './load.ts';

const FAKE_K6 = fileURLToPath(new URL('../../load/k6/fixtures/fake-k6.mjs', import.meta.url));

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += String(chunk);
    done();
  }
}

/** Parses a command line with the real builder, without running anything. */
async function parse(argv: string[]): Promise<LoadArgs> {
  let parsed: LoadArgs | undefined;
  await yargs(argv)
    .command({ ...loadCommand, builder: loadBuilder, handler: (args) => void (parsed = args) })
    .strict()
    .fail((message, error) => {
      throw error ?? new HarnessError('E_USAGE', message);
    })
    .parseAsync();
  if (parsed === undefined) throw new Error('the command did not run');
  return parsed;
}

describe('harness load', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'load-cmd-'));
    writeFileSync(join(dir, 'script.js'), 'export default function () {}\n');
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("reads k6 run's flags, with repeatable -e that does not swallow the script", async () => {
    const args = await parse([
      'load', '-u', '2', '-d', '10s', '-i', '3', '-e', 'A=1', '-e', 'B=x=y', '-e', 'C',
      '--out', 'json=out.ndjson', '--summary-export', 'summary.json', 'script.js',
    ]);
    expect(args).toMatchObject({ script: 'script.js', engine: 'auto', vus: '2', duration: '10s', iterations: '3' });
    expect(loadRunOptions(args, dir)).toEqual({
      script: 'script.js',
      cwd: dir,
      env: { A: '1', B: 'x=y', C: '' },
      vus: 2,
      duration: '10s',
      iterations: 3,
      ndjsonPath: 'out.ndjson',
      summaryExportPath: 'summary.json',
    });
    expect((await parse(['load', 'script.js', '--engine', 'builtin'])).engine).toBe('builtin');
  });

  it.each([
    [['--out', 'csv=x.csv'], /--out: "csv=x.csv" is not allowed; expected json=FILE/],
    [['--out', 'json='], /--out: "json=" is not allowed/],
    [['--out', 'json=a', '--out', 'json=b'], /expected a single json=FILE output/],
    [['--vus', '0'], /--vus: "0" is not allowed; expected a whole number from 1 to 5,000/],
    [['--vus', 'many'], /--vus: "many" is not allowed/],
    [['--iterations', '1.5'], /--iterations: "1.5" is not allowed/],
    [['--duration', '10'], /--duration: "10" is not allowed; expected a duration/],
    [['-e', '1A=2'], /-e: "1A=2" is not allowed/],
  ])('rejects %j with an InputError naming the value and what is allowed', async (flags, message) => {
    const args = await parse(['load', 'script.js', ...flags]);
    const attempt = (): unknown => loadRunOptions(args, dir);
    expect(attempt).toThrow(InputError);
    expect(attempt).toThrow(message);
  });

  it('rejects a missing script and an unknown engine', async () => {
    expect(() => loadRunOptions({ ...(baseArgs()), script: 'nope.js' }, dir)).toThrow(/script: "nope.js" is not allowed/);
    await expect(parse(['load', 'script.js', '--engine', 'gatling'])).rejects.toThrow(/Invalid values/);
  });

  function baseArgs(): LoadArgs {
    return { script: 'script.js', engine: 'auto', vus: undefined, duration: undefined, iterations: undefined, env: undefined, out: undefined, 'summary-export': undefined };
  }

  function deps(env: NodeJS.ProcessEnv, extra: Partial<LoadDeps> = {}): LoadDeps & { stdout: Capture; stderr: Capture } {
    return {
      env,
      cwd: dir,
      stdout: new Capture(),
      stderr: new Capture(),
      signal: undefined,
      selectEngine: (choice, e) => selectEngine(choice, e),
      ...extra,
    } as LoadDeps & { stdout: Capture; stderr: Capture };
  }

  it('runs real k6 (K6_BIN), says which engine and version on stderr, and exits with k6’s code', async () => {
    const ok = deps({ ...process.env, K6_BIN: FAKE_K6, FAKE_K6_MODE: 'ok' });
    expect(await runLoad({ ...baseArgs(), engine: 'k6' }, ok)).toBe(0);
    expect(ok.stderr.text).toContain('harness load: engine k6 (k6 v0.49.0 (go1.21.6, linux/amd64))');
    expect(ok.stderr.text).toContain('running (00.1s)');
    expect(ok.stdout.text).toContain('http_reqs......................: 1      1/s');

    const failed = deps({ ...process.env, K6_BIN: FAKE_K6, FAKE_K6_MODE: 'thresholds' });
    expect(await runLoad(baseArgs(), failed)).toBe(99);
    const crashed = deps({ ...process.env, K6_BIN: FAKE_K6, FAKE_K6_MODE: 'exit:107' });
    expect(await runLoad(baseArgs(), crashed)).toBe(107);
  });

  it('--engine k6 without a k6 binary fails with exit 2 and points to --engine builtin', async () => {
    const error: unknown = await runLoad({ ...baseArgs(), engine: 'k6' }, deps({ PATH: dir })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).exitCode).toBe(2);
    expect((error as HarnessError).hint).toContain('--engine builtin');
  });

  it('--script-bundle FILE: k6 is given the bundle of the script there, and it stays', async () => {
    const args = await parse(['load', 'script.js', '--engine', 'k6', '--script-bundle', 'trial/script.bundle.js']);
    expect(loadRunOptions(args, dir).bundlePath).toBe('trial/script.bundle.js');
    expect(loadRunOptions(baseArgs(), dir)).not.toHaveProperty('bundlePath');
    expect(() => loadRunOptions({ ...args, 'script-bundle': '' }, dir)).toThrow(/--script-bundle: "" is not allowed; expected a file path/);

    const argsFile = join(dir, 'k6-args.json');
    const copy = join(dir, 'given-to-k6.js');
    const k6 = deps({ ...process.env, K6_BIN: FAKE_K6, FAKE_K6_MODE: 'ok', FAKE_K6_ARGS_FILE: argsFile, FAKE_K6_SCRIPT_COPY: copy });
    expect(await runLoad(args, k6)).toBe(0);
    const bundle = join(dir, 'trial/script.bundle.js');
    expect((JSON.parse(readFileSync(argsFile, 'utf8')) as { args: string[] }).args.at(-1)).toBe(bundle);
    expect(readFileSync(bundle, 'utf8')).toBe(readFileSync(copy, 'utf8'));
    expect(es2017Imports(readFileSync(bundle, 'utf8'))).toEqual([]);
  });

  it("exits with k6's code for a configuration error raised by the engine", async () => {
    const engine: LoadEngine = {
      name: 'builtin',
      version: async () => 'test',
      run: async () => {
        throw new K6ConfigError('invalid threshold expression "p95<1" on metric "http_req_duration"');
      },
    };
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await runLoad(baseArgs(), deps({}, { selectEngine: async () => engine }))).toBe(104);
      expect(stderr.mock.calls.map((call) => String(call[0])).join('')).toContain('p95<1');
    } finally {
      stderr.mockRestore();
    }
  });

  it('--engine-stats FILE asks the engine for its load-generator figures in FILE', async () => {
    const args = await parse(['load', 'script.js', '--engine-stats', 'trial/load-generator.json']);
    expect(loadRunOptions(args, dir).loadGeneratorStatsPath).toBe('trial/load-generator.json');
    expect(loadRunOptions(baseArgs(), dir)).not.toHaveProperty('loadGeneratorStatsPath');
    expect(() => loadRunOptions({ ...args, 'engine-stats': '' }, dir)).toThrow(/--engine-stats: "" is not allowed; expected a file path/);
    await expect(parse(['load', 'script.js', '--engine-stats'])).rejects.toThrow(/Not enough arguments following: engine-stats/);

    let asked: string | undefined;
    const engine: LoadEngine = {
      name: 'builtin',
      version: async () => 'test',
      run: async (options) => {
        asked = options.loadGeneratorStatsPath;
        return { engine: 'builtin', engineVersion: 'test', exitCode: 0, ndjsonPath: undefined, summaryExportPath: undefined, summary: {} };
      },
    };
    const measured = deps({}, { selectEngine: async () => engine });
    expect(await runLoad(args, measured)).toBe(0);
    expect(asked).toBe('trial/load-generator.json');
  });

  it('--engine-stats with k6 says that k6 does not measure itself, and still runs', async () => {
    const k6 = deps({ ...process.env, K6_BIN: FAKE_K6, FAKE_K6_MODE: 'ok' });
    expect(await runLoad({ ...baseArgs(), engine: 'k6', 'engine-stats': 'trial/load-generator.json' }, k6)).toBe(0);
    expect(k6.stderr.text).toContain('harness load: engine k6 does not measure itself; no load-generator figures written to trial/load-generator.json\n');
  });

  it('sets the process exit code from the run through the yargs handler', async () => {
    vi.stubEnv('K6_BIN', FAKE_K6);
    vi.stubEnv('FAKE_K6_MODE', 'thresholds');
    const cwd = process.cwd();
    const sigintListeners = process.listenerCount('SIGINT');
    const writes = [vi.spyOn(process.stdout, 'write').mockImplementation(() => true), vi.spyOn(process.stderr, 'write').mockImplementation(() => true)];
    try {
      process.chdir(dir);
      await yargs(['load', 'script.js']).command(loadCommand).strict().parseAsync();
      expect(process.exitCode).toBe(99);
      expect(process.listenerCount('SIGINT')).toBe(sigintListeners);
    } finally {
      process.chdir(cwd);
      process.exitCode = undefined;
      for (const spy of writes) spy.mockRestore();
      vi.unstubAllEnvs();
    }
  });
});
