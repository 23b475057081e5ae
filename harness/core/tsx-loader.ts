/**
 * The node flags that run a TypeScript entry of this repository in a child process, through tsx.
 * tsx is named by its resolved path: a bare `--import tsx` would be looked for from the child's
 * working directory — the user's, which may be anywhere — and fail there.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

export function tsxExecArgv(): string[] {
  return ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href];
}
