import { execFile } from 'node:child_process';
import { HarnessError } from '../../core/errors.ts';

const VERSION_TIMEOUT_MS = 15_000;

/** The first line of `k6 version`, e.g. "k6 v0.49.0 (go1.21.6, linux/amd64)". */
export function k6Version(binary: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(binary, ['version'], { env, timeout: VERSION_TIMEOUT_MS, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      const first = String(stdout).split('\n')[0]?.trim() ?? '';
      if (error !== null || first === '') {
        reject(
          new HarnessError('E_K6_VERSION', `\`${binary} version\` failed: ${error?.message ?? (String(stderr).trim() || 'no output')}`, {
            hint: 'check that K6_BIN or the k6 on PATH is a working k6, or run with --engine builtin',
            cause: error ?? undefined,
          }),
        );
        return;
      }
      resolve(first);
    });
  });
}
