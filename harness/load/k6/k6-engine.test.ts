import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HarnessError } from '../../core/errors.ts';
import type { LoadRunOptions } from '../contract.ts';
import type { LoadEvent } from '../load-events.ts';
import type { SummaryData } from '../metrics/summary-types.ts';
import { es2017Imports, es2020Operators } from '../script-bundle-testkit.ts';
import { createK6Engine } from './k6-engine.ts';

const FAKE_K6 = fileURLToPath(new URL('./fixtures/fake-k6.mjs', import.meta.url));

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += String(chunk);
    done();
  }
}

describe('k6 engine (against a fake k6 binary)', () => {
  let dir: string;
  let argsFile: string;
  let scriptCopy: string;
  let stdout: Capture;
  let stderr: Capture;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'k6-engine-'));
    argsFile = join(dir, 'args.json');
    scriptCopy = join(dir, 'given-to-k6.js');
    writeFileSync(join(dir, 'script.js'), 'export default function () {}\n');
    stdout = new Capture();
    stderr = new Capture();
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const engine = (mode: string, killGraceMs?: number) =>
    createK6Engine(FAKE_K6, { processEnv: { ...process.env, FAKE_K6_MODE: mode, FAKE_K6_ARGS_FILE: argsFile, FAKE_K6_SCRIPT_COPY: scriptCopy }, killGraceMs });
  const options = (extra: Partial<LoadRunOptions> = {}): LoadRunOptions => ({
    script: 'script.js',
    cwd: dir,
    env: {},
    stdout,
    stderr,
    ...extra,
  });
  const argsSeen = (): { args: string[]; cwd: string } => JSON.parse(readFileSync(argsFile, 'utf8')) as { args: string[]; cwd: string };

  it('reports `k6 version` as the version', async () => {
    await expect(engine('ok').version()).resolves.toBe('k6 v0.49.0 (go1.21.6, linux/amd64)');
  });

  it('passes the run options as k6 flags and returns outputs and the summary', async () => {
    const progress: string[] = [];
    const result = await engine('ok').run(
      options({
        vus: 2,
        duration: '1s',
        iterations: 3,
        env: { BASE: 'http://127.0.0.1:1', EMPTY: '' },
        ndjsonPath: 'out/k6.ndjson',
        onProgress: (line) => progress.push(line),
      }),
    );
    const seen = argsSeen();
    expect(seen.cwd).toBe(dir);
    expect(seen.args[0]).toBe('run');
    expect(seen.args).toContain(`--out=json=${join(dir, 'out/k6.ndjson')}`);
    expect(seen.args.find((arg) => arg.startsWith('--summary-export='))).toBeDefined();
    expect(seen.args).toEqual(expect.arrayContaining(['--vus=2', '--duration=1s', '--iterations=3', '--env=BASE=http://127.0.0.1:1', '--env=EMPTY=']));
    // k6 is given a bundle of the script, in a temporary directory removed after the run.
    const given = seen.args.at(-1) ?? '';
    expect(given).toMatch(/harness-k6-[^/]+\/script\.bundle\.js$/);
    expect(existsSync(given)).toBe(false);
    expect(es2017Imports(readFileSync(scriptCopy, 'utf8'))).toEqual([]);

    expect(result).toMatchObject({ engine: 'k6', engineVersion: 'k6 v0.49.0 (go1.21.6, linux/amd64)', exitCode: 0 });
    expect(result.ndjsonPath).toBe(join(dir, 'out/k6.ndjson'));
    expect(result.summaryExportPath).toBeUndefined();
    const summary = result.summary as SummaryData;
    expect(summary.metrics['waits']).toEqual({
      type: 'trend',
      contains: 'time',
      values: { avg: 3, min: 3, med: 3, max: 3, 'p(90)': 3, 'p(95)': 3 },
    });
    expect(summary.metrics['http_req_duration']?.thresholds).toEqual({ 'p(95)<1': { ok: true } });
    expect(summary.metrics['data_sent']).toMatchObject({ type: 'counter', contains: 'data' });
    expect(summary.root_group.checks[0]).toMatchObject({ name: 'ok', passes: 1 });

    expect(progress).toEqual(['running (00.1s), 1/1 VUs, 0 complete and 0 interrupted iterations', 'default   [  10% ] 1 VUs  0.1s/1s']);
    expect(stdout.text).toContain('execution: local');
    expect(stdout.text).toContain('http_reqs......................: 1      1/s');
    expect(stdout.text).not.toContain('running (');
    expect(stderr.text).toContain('fake k6 finished');
    // The scratch summary export is gone; nothing else was left in the temp dir by us.
    const exportArg = seen.args.find((arg) => arg.startsWith('--summary-export=')) ?? '';
    expect(existsSync(exportArg.slice('--summary-export='.length))).toBe(false);
  });

  it('hands k6 the ES2017 bundle of a TypeScript script, at the path asked for, and keeps it', async () => {
    mkdirSync(join(dir, 'lib'));
    writeFileSync(join(dir, 'lib/pause.ts'), `export const pause = (text?: string): number => Number(text ?? '0') || 0;\n`);
    writeFileSync(
      join(dir, 'journey.ts'),
      `import type { Options } from 'k6/options';\nimport { sleep } from 'k6';\nimport { pause } from './lib/pause.ts';\n` +
        `export const options: Options = { vus: 1 };\nexport default function (): void { sleep(pause(__ENV?.PAUSE)); }\n`,
    );
    const result = await engine('ok').run(options({ script: 'journey.ts', bundlePath: 'trial/script.bundle.js' }));
    expect(result.exitCode).toBe(0);
    const bundle = join(dir, 'trial/script.bundle.js');
    expect(argsSeen().args.at(-1)).toBe(bundle);
    const given = readFileSync(scriptCopy, 'utf8');
    expect(readFileSync(bundle, 'utf8')).toBe(given);
    expect(es2017Imports(given)).toEqual(['k6']);
    expect(es2020Operators(given)).toEqual([]);
    expect(given).not.toMatch(/import\s+type/);
  });

  it('fails with the file and line of a script that cannot be bundled, before `k6 run`', async () => {
    writeFileSync(join(dir, 'broken.ts'), `export default function () {\n  const x = 1 +* 2;\n}\n`);
    const error: unknown = await engine('ok')
      .run(options({ script: 'broken.ts' }))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HarnessError);
    expect(error).toMatchObject({ code: 'E_SCRIPT_BUNDLE', exitCode: 2 });
    expect((error as HarnessError).message).toContain(`${join(dir, 'broken.ts')}:2:16: Unexpected "*"`);
    expect(existsSync(argsFile) && argsSeen().args[0] === 'run').toBe(false);
    expect(existsSync(scriptCopy)).toBe(false);
  });

  it('keeps a requested summary export and maps failed thresholds to exit 99', async () => {
    const result = await engine('thresholds').run(options({ summaryExportPath: 'summary.json' }));
    expect(result.exitCode).toBe(99);
    expect(result.summaryExportPath).toBe(join(dir, 'summary.json'));
    expect(existsSync(join(dir, 'summary.json'))).toBe(true);
    expect((result.summary as SummaryData).metrics['http_req_duration']?.thresholds).toEqual({ 'p(95)<1': { ok: false } });
  });

  it.each([97, 98, 100, 101, 103, 104, 105, 107, 108])('passes k6 exit code %i through', async (code) => {
    const result = await engine(`exit:${code}`).run(options());
    expect(result.exitCode).toBe(code);
    expect(result.summary).toBeUndefined();
    expect(stderr.text).toContain('simulated failure');
  });

  it('stops k6 with SIGINT on cancel and still reads its outputs', async () => {
    const controller = new AbortController();
    const result = await engine('hang').run(
      options({
        signal: controller.signal,
        ndjsonPath: 'k6.ndjson',
        onProgress: () => controller.abort(),
      }),
    );
    expect(result.exitCode).toBe(105);
    expect(existsSync(join(dir, 'k6.ndjson'))).toBe(true);
    expect(result.summary).toBeDefined();
  });

  it('kills k6 with SIGKILL when it ignores SIGINT past the grace period', async () => {
    const controller = new AbortController();
    const started = performance.now();
    const result = await engine('ignore-sigint', 300).run(options({ signal: controller.signal, onProgress: () => controller.abort() }));
    expect(result.exitCode).toBe(105);
    expect(result.summary).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('kills k6 at once when told to, after the cancel, without waiting for the grace period', async () => {
    const controller = new AbortController();
    const kill = new AbortController();
    const started = performance.now();
    const result = await engine('ignore-sigint', 60_000).run(
      options({
        signal: controller.signal,
        kill: kill.signal,
        onProgress: () => {
          controller.abort();
          setTimeout(() => kill.abort(), 200);
        },
      }),
    );
    expect(result.exitCode).toBe(105);
    expect(result.summary).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it("tells the load's start and its requests from its NDJSON, as events and in the result", async () => {
    const events: LoadEvent[] = [];
    const result = await engine('ok').run(options({ ndjsonPath: 'k6.ndjson', onEvent: (event) => events.push(event) }));
    expect(result.exitCode).toBe(0);
    // The fake writes one request, ending at `time`, that took 2.5 ms.
    const point = readFileSync(join(dir, 'k6.ndjson'), 'utf8').split('\n').find((line) => line.startsWith('{"metric":"http_reqs"'))!;
    const time = Date.parse((JSON.parse(point) as { data: { time: string } }).data.time);
    expect(events).toEqual([
      { type: 'started', start: { at: time - 2.5, source: 'output' } },
      { type: 'requests', counts: [{ second: Math.floor(time / 1000), requests: 1, failed: 0 }] },
    ]);
    expect(result.start).toEqual({ at: time - 2.5, source: 'output' });
    // Without a listener, nothing follows the file.
    expect((await engine('ok').run(options({ ndjsonPath: 'k6.ndjson' }))).start).toBeUndefined();
  });

  it('does not start k6 when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await engine('ok').run(options({ signal: controller.signal }));
    expect(result.exitCode).toBe(105);
    expect(existsSync(argsFile) && argsSeen().args[0] === 'run').toBe(false);
  });

  it('fails with a HarnessError when the binary cannot run', async () => {
    const broken = createK6Engine(join(dir, 'no-such-k6'));
    await expect(broken.version()).rejects.toThrow(HarnessError);
    await expect(broken.run(options())).rejects.toThrow(/no-such-k6 version` failed/);
  });
});
