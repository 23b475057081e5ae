import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readResults, type Results } from '../analysis/index.ts';
import { REPO_ROOT } from '../core/paths.ts';
import { runCli, type CliResult } from './cli.ts';
import { testImages } from './images.ts';

export interface ShortenedRun {
  cli: CliResult;
  /** The run directory `harness run` printed last. */
  runDir: string;
  results: Results;
}

/**
 * Runs a scenario shipped in harness/scenarios/, edited by the test (shorter load, fewer events; see
 * editedShippedScenario), on the built-in engine. Throws with the CLI's stderr when the run does not
 * exit 0.
 */
export async function runShippedScenario(file: string, edit: (text: string) => string): Promise<ShortenedRun> {
  await testImages();
  const scenario = await editedShippedScenario(file, edit);
  const cli = await runCli(['run', scenario, '--engine', 'builtin', '--reports-dir', path.join(path.dirname(scenario), 'reports')], {}, 600_000);
  if (cli.code !== 0) throw new Error(`harness run ${file} exited ${cli.code}:\n${cli.stderr}`);
  const runDir = cli.stdout.trim().split('\n').at(-1) ?? '';
  const results = await readResults(runDir);
  return { cli, runDir, results };
}

/**
 * A copy of a scenario shipped in harness/scenarios/, edited by the test, in a temporary directory of
 * its own; its script path is made absolute so it still resolves from there. Returns the copy's path.
 */
export async function editedShippedScenario(file: string, edit: (text: string) => string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), `harness-${path.basename(file, '.yaml')}-`));
  const scenario = path.join(dir, file);
  const shipped = await readFile(path.join(REPO_ROOT, 'harness', 'scenarios', file), 'utf8');
  await writeFile(scenario, edit(shipped.replace(/\.\.\/\.\.\/k6-scripts\//g, `${path.join(REPO_ROOT, 'k6-scripts')}/`)));
  return scenario;
}
