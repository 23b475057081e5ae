import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { ArgumentsCamelCase } from 'yargs';
import { isHarnessError } from '../../core/errors.ts';
import { SCENARIOS_DIR } from '../../scenario/defaults.ts';
import { validateCommand } from './validate.ts';

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
});
