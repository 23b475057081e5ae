import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'acorn';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../core/paths.ts';
import { DockerRuntime } from '../docker/docker-runtime.ts';
import { runCli } from '../testing/cli.ts';
import { leftovers } from '../testing/docker-leftovers.ts';
import { testImages } from '../testing/images.ts';
import type { RunManifest } from '../core/run-files/index.ts';

/**
 * `harness run --engine k6` hands k6 the ES2017 bundle of the scenario's script, the one the trial
 * directory keeps. No k6 exists on these machines: a stand-in records its arguments and a copy of the
 * file it was given, and writes one load point so that the trial has something to analyse.
 */
const FAKE_K6 = fileURLToPath(new URL('../load/k6/fixtures/fake-k6.mjs', import.meta.url));
const runtime = new DockerRuntime();

describe('harness run --engine k6', () => {
  it('passes k6 the bundled script kept in the trial directory, and nothing else of the script', async () => {
    await testImages();
    const work = await mkdtemp(path.join(tmpdir(), 'harness-k6-run-'));
    const scenario = path.join(work, 'k6.yaml');
    const script = path.join(REPO_ROOT, 'k6-scripts', 'session-journey.ts');
    await writeFile(scenario, ['name: k6 stand-in', 'architectures: [stateless]', 'replicas: 1', `load: { script: ${JSON.stringify(script)}, vus: 2, duration: 3s }`, ''].join('\n'));
    const argsFile = path.join(work, 'args.json');
    const scriptCopy = path.join(work, 'given.js');
    const result = await runCli(['run', scenario, '--engine', 'k6', '--reports-dir', path.join(work, 'reports')], {
      K6_BIN: FAKE_K6,
      FAKE_K6_ARGS_FILE: argsFile,
      FAKE_K6_SCRIPT_COPY: scriptCopy,
    });
    expect(result.code, result.stderr).toBe(0);
    const dir = result.stdout.trim().split('\n').at(-1) ?? '';
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as RunManifest;
    expect(manifest.engine).toMatchObject({ choice: 'k6', name: 'k6', version: expect.stringContaining('v0.49.0') });

    const bundle = path.join(dir, 'trials', 'stateless', 'script.bundle.js');
    const { args } = JSON.parse(await readFile(argsFile, 'utf8')) as { args: string[] };
    expect(args[0]).toBe('run');
    expect(args.at(-1)).toBe(bundle);
    expect(args.some((arg) => arg.endsWith('.ts'))).toBe(false);
    expect(args).toEqual(expect.arrayContaining(['--env=VUS=2', '--env=DURATION=3000ms', expect.stringMatching(/^--env=BASE_URL=http:\/\/127\.0\.0\.1:\d+$/)]));

    const given = await readFile(scriptCopy, 'utf8');
    expect(given).toBe(await readFile(bundle, 'utf8'));
    // What k6 v0.4x's compiler reads: an ES2017 module, no TypeScript, k6 imports only.
    const program = parse(given, { ecmaVersion: 2017, sourceType: 'module' });
    const imports = program.body.flatMap((node) => (node.type === 'ImportDeclaration' ? [String(node.source.value)] : []));
    expect(imports.length).toBeGreaterThan(0);
    for (const source of imports) expect(source).toMatch(/^k6(\/|$)/);
    expect(await leftovers(runtime)).toEqual([]);
  });
});
