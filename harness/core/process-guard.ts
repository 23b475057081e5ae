/**
 * Ties a child process's life to ours, however we die. Node's 'exit' handlers do not run on SIGKILL
 * or the OOM killer, and a child stuck in a synchronous loop never notices that its IPC channel or
 * its stdio closed, so the guard is a process of its own: a POSIX shell loop (a few hundred kB, no
 * node) started next to each long-lived child. Twice a second it checks that the child is still
 * there (else it ends: nothing left to guard) and that we are still its parent (else it SIGKILLs the
 * child, or the child's whole process group). A guard therefore never outlives both.
 *
 * It runs detached, in a session of its own, so a terminal's Ctrl-C or a kill of our process group
 * does not take it down with us; its stdio is closed, so it never holds a pipe that someone waits on.
 * Each engine process (the built-in engine's, k6) has one, whichever command started it: when
 * `harness load` or `harness run` dies, the engine dies with it. Without /bin/sh (not a platform the harness supports) there is no guard, and the
 * run goes on unguarded.
 */
import { spawn } from 'node:child_process';

export interface ProcessGuard {
  /** Ends the guard now (the child ended normally); the guard would also end by itself within 0.5 s. */
  dispose(): void;
}

/** Its $0, so that `ps` and tests can tell a guard from other shells. */
export const GUARD_NAME = 'harness-process-guard';

// Our pid is still the guard's parent as long as we live: /proc says who its parent is now, which
// also covers a dead parent that nobody has reaped yet (`kill -0` still finds such a zombie, but the
// kernel has already handed the guard to init). Without /proc, `kill -0`. `kill -s SIG -- -PGID` is
// the form that dash, bash and busybox all read as a process group.
const SCRIPT = `
parent=$1 target=$2
parent_alive() {
  if [ -r /proc/$$/stat ]; then
    read -r _ _ _ ppid _ < /proc/$$/stat
    [ "$ppid" = "$parent" ]
  else
    kill -s 0 "$parent" 2>/dev/null
  fi
}
while kill -s 0 -- "$target" 2>/dev/null; do
  if ! parent_alive; then
    kill -s KILL -- "$target" 2>/dev/null
    exit 0
  fi
  sleep 0.5
done
`;

/**
 * Starts a guard for the child `pid`: killed with SIGKILL as soon as this process is gone. With
 * `group`, the child leads a process group of its own (spawned detached) and the whole group is killed.
 */
export function guardChild(pid: number, options: { group?: boolean } = {}): ProcessGuard {
  const target = options.group === true ? `-${pid}` : String(pid);
  const guard = spawn('/bin/sh', ['-c', SCRIPT, GUARD_NAME, String(process.pid), target], { detached: true, stdio: 'ignore' });
  // No /bin/sh: an unguarded run is still a run.
  guard.once('error', () => undefined);
  guard.unref();
  return {
    dispose() {
      if (guard.pid === undefined || guard.exitCode !== null || guard.signalCode !== null) return;
      // Its group: the shell and the `sleep` it may be waiting on. The guard is our unreaped child
      // until 'exit' fires, so its pid (and group id) cannot belong to anyone else yet.
      try {
        process.kill(-guard.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    },
  };
}
