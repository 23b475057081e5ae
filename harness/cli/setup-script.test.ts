import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../core/paths.ts';

const run = promisify(execFile);
const SETUP = path.join(REPO_ROOT, '.ci', 'setup');

describe('the set-up script behind the README\'s two commands and CI', () => {
  it('the README\'s commands, `npm run setup` and .ci/run all go through .ci/setup', async () => {
    const readme = await readFile(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const block = /## The two commands\n\n```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const commands = block.split('\n').filter((line) => line.trim() !== '').map((line) => line.replace(/\s+#.*$/, ''));
    expect(commands).toEqual(['npm run setup && npx harness run --open', 'npm run setup -- --tests && npm test']);
    const pkg = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.setup).toBe('bash .ci/setup');
    const ci = await readFile(path.join(REPO_ROOT, '.ci', 'run'), 'utf8');
    expect(ci.indexOf('bash .ci/setup --tests')).toBeGreaterThan(0);
    expect(ci.indexOf('npm test')).toBeGreaterThan(ci.indexOf('bash .ci/setup --tests'));
  });

  it('refuses an unknown argument with exit 2, naming it and what is allowed', async () => {
    const failed = await run('bash', [SETUP, '--fast']).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(2);
    expect(failed?.stderr).toContain("unknown argument '--fast' (allowed: --tests, --help)");
  });

  it('--help says what it installs, and does nothing else', async () => {
    const { stdout } = await run('bash', [SETUP, '--help']);
    expect(stdout).toContain('Docker engine');
    expect(stdout).toContain('--tests');
    expect(stdout).not.toContain('==');
  });
});
