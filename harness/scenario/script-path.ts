/** Finds the k6 script a scenario names: next to the scenario file first, then from the repository root. */
import { statSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../core/paths.ts';

export type ScriptLookup = { ok: true; path: string } | { ok: false; expected: string };

const SCRIPT_EXTENSIONS = ['.js', '.ts'];

export function resolveScript(script: string, scenarioDir: string, repoRoot: string = REPO_ROOT): ScriptLookup {
  if (!SCRIPT_EXTENSIONS.includes(path.extname(script))) {
    return { ok: false, expected: 'a .js or .ts k6 script' };
  }
  const candidates = path.isAbsolute(script) ? [script] : [...new Set([path.resolve(scenarioDir, script), path.resolve(repoRoot, script)])];
  const found = candidates.find(isFile);
  if (found !== undefined) return { ok: true, path: found };
  return { ok: false, expected: `an existing .js or .ts k6 script (looked for ${candidates.join(' and ')})` };
}

function isFile(candidate: string): boolean {
  try {
    return statSync(candidate).isFile();
  } catch {
    return false;
  }
}
