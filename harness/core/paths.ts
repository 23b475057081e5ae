import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root, found from this file's place (harness/core/). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const TARGETS_DIR = path.join(REPO_ROOT, 'targets');
export const REPORTS_DIR = path.join(REPO_ROOT, 'reports');

/** Build artefacts that can be thrown away (root file systems, bundles). */
export function cacheDir(): string {
  return process.env.HARNESS_CACHE_DIR ?? path.join(REPO_ROOT, '.harness-cache');
}
