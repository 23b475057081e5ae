/**
 * A reaper for one run's containers, networks and volumes, whatever ends the harness: SIGKILL, the
 * OOM killer, a CI runner's timeout, a second Ctrl-C. Exit handlers never run in those cases, so the
 * reaper is a process of its own (as testcontainers' Ryuk is a container of its own): started
 * detached, in a session of its own, it holds the read end of a pipe whose write end only the harness
 * has. The kernel closes that end when the harness is gone, however it went; the reaper then removes
 * everything carrying the run's label (reaper-process.ts). Nothing of it runs inside a target
 * container, and no target container is given the Docker socket.
 *
 * A harness that ends normally has removed its run already, and the reaper's sweep finds nothing.
 * `harness up` leaves its cluster running on purpose: it releases the reaper once the cluster is up.
 */
import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { tsxExecArgv } from '../core/tsx-loader.ts';

export interface Reaper {
  /** Leaves the run's resources alone from now on, whatever happens to the harness. */
  release(): void;
}

/** What the harness writes to the reaper to release it. */
export const RELEASE = 'release\n';
/** Its title in `ps`, so that tests and users can tell a reaper from other node processes. */
export const REAPER_TITLE = 'harness-reaper';

const ENTRY = fileURLToPath(new URL('./reaper-process.ts', import.meta.url));

/** Starts the reaper of `runId`; it sweeps the run when this process ends, unless released first. */
export function armReaper(runId: string): Reaper {
  const child = spawn(process.execPath, [...tsxExecArgv(), ENTRY, runId], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  // No reaper (node gone from PATH, no resources): the run goes on, as it did before reapers.
  child.once('error', () => undefined);
  const pipe = child.stdin as Socket | null;
  pipe?.on('error', () => undefined);
  // Neither the reaper nor the pipe may keep the harness alive once its work is done.
  pipe?.unref();
  child.unref();
  return {
    release() {
      if (pipe === null || pipe.destroyed) return;
      pipe.end(RELEASE);
    },
  };
}
