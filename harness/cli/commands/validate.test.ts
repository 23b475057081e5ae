import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { ArgumentsCamelCase } from 'yargs';
import { isHarnessError } from '../../core/errors.ts';
import { SCENARIOS_DIR } from '../../scenario/defaults.ts';
import { main } from '../main.ts';
import { runCli } from '../../testing/cli.ts';
import { loadScenario } from '../../scenario/load-scenario.ts';
import { checkScenarioFiles, validateCommand } from './validate.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'validate-command-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

async function run(scenarios: string[] | undefined, json = false): Promise<{ out: string; error: unknown }> {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const args = { scenarios, json, _: [], $0: 'harness' } as ArgumentsCamelCase<{ scenarios: string[] | undefined; json: boolean }>;
  const error = await Promise.resolve(validateCommand.handler(args)).then(() => undefined, (e: unknown) => e);
  return { out, error };
}

describe('harness validate', () => {
  it('checks the default scenario when none is named', async () => {
    const { out, error } = await run(undefined);
    expect(error).toBeUndefined();
    expect(out).toMatch(/^ok .*default\.yaml: "default comparison"; stateful vs stateless; 3 replicas; 20 VUs for 1m; 2 faults \(kill busiest at 19\.8s, scale-out 2 at 39\.6s\); 0 thresholds; seed 42\n$/);
  });

  it('prints the normalised scenarios with --json', async () => {
    const { out } = await run([path.join(SCENARIOS_DIR, 'thresholds.yaml')], true);
    const parsed = JSON.parse(out) as { name: string; load: { durationMs: number } }[];
    expect(parsed[0]?.load.durationMs).toBe(50_000);
  });

  it('fails with exit code 2 and every file\'s problems', async () => {
    const bad1 = path.join(dir, 'a.yaml');
    const bad2 = path.join(dir, 'b.yaml');
    writeFileSync(bad1, 'name: a\n');
    writeFileSync(bad2, 'name: [\n');
    const { error } = await run([bad1, path.join(SCENARIOS_DIR, 'default.yaml'), bad2]);
    expect(isHarnessError(error) && error.exitCode).toBe(2);
    const message = isHarnessError(error) ? error.message : '';
    expect(message).toContain(`${bad1}: architectures: nothing is not allowed`);
    expect(message.split('\n').some((line) => line.startsWith(`${bad2}:`) && / syntax error: /.test(line) && !line.startsWith(`${bad2}: ${bad2}`))).toBe(true);
  });

  it('a file the YAML reader cannot even start on does not stop the others: c.yaml gets its line, default.yaml its ok', async () => {
    const cycle = path.join(dir, 'c.yaml');
    writeFileSync(cycle, 'a: &a [*a]\n');
    const { out, error } = await run([cycle, path.join(SCENARIOS_DIR, 'default.yaml')]);
    expect(out).toMatch(/^ok .*default\.yaml: "default comparison"/);
    expect(isHarnessError(error) && error.exitCode).toBe(2);
    expect(isHarnessError(error) && error.message).toBe(`${cycle}:1:8: alias *a is not allowed; expected an alias outside the node it names (&a contains it)`);
  });

  it('a bug while reading one file: the others still get their result, and only that file\'s line says to report it', async () => {
    const broken = path.join(dir, 'bug.yaml');
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: a\n');
    const load = (file: string): ReturnType<typeof loadScenario> => (file === broken ? Promise.reject(new TypeError('x is not a function')) : loadScenario(file));
    const { valid, failure } = await checkScenarioFiles([broken, path.join(SCENARIOS_DIR, 'default.yaml'), bad], load);
    expect(valid.map((scenario) => path.basename(scenario.source))).toEqual(['default.yaml']);
    const lines = failure?.message.split('\n') ?? [];
    expect(lines[0]).toBe(`${broken}: x is not a function (a bug in the harness: run again with HARNESS_DEBUG=1 for the stack trace, and report it)`);
    expect(lines[1]).toMatch(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: architectures: nothing is not allowed`));
    expect(failure?.stack).toContain('TypeError: x is not a function');
  });
});

describe('harness validate from the command line', () => {
  async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout += String(chunk);
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr += String(chunk);
      return true;
    });
    const code = await main(argv);
    vi.restoreAllMocks();
    return { code, stdout, stderr };
  }

  it('`validate -- /nonexistent.yaml` checks that file, not the default scenario', async () => {
    const { code, stdout, stderr } = await cli(['validate', '--', '/nonexistent.yaml']);
    expect(stdout).toBe('');
    expect(code).toBe(2);
    expect(stderr).toContain('scenario: "/nonexistent.yaml" is not allowed; expected an existing .yaml, .yml or .json file');
  });

  it('the reproducers of issue 11, through the real CLI: exit 2, a line per file, no stack, no Node warning, the default scenario ok', async () => {
    const files = {
      cycle: ['a: &a [*a]\n'],
      unresolved: ['a: *nope\n'],
      merge: ['<<: 5\n'],
      deep: [`a: ${'['.repeat(1200)}${']'.repeat(1200)}\n`],
      key: ['? [a]\n: 1\n'],
    };
    const paths = Object.entries(files).map(([name, [text]]) => {
      const file = path.join(dir, `cli-${name}.yaml`);
      writeFileSync(file, text ?? '');
      return file;
    });
    const result = await runCli(['validate', ...paths, path.join(SCENARIOS_DIR, 'default.yaml')], {}, 60_000);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^ok .*default\.yaml: /);
    expect(result.stderr).not.toMatch(/Maximum call stack|Warning|\n\s+at |report it/);
    for (const file of paths) expect(result.stderr).toContain(`${file}:1:`);
  });
});
