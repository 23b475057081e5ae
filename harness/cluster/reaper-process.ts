/**
 * The reaper's own process (see reaper.ts): waits until the harness closes its end of the pipe on
 * stdin, then, unless it was released, removes every container, network and volume of the run.
 *
 * It sweeps more than once: a request the harness sent to the engine just before it died (a
 * container being created, a network being connected) may complete after the first sweep.
 */
import { RUN_ID_PATTERN } from '../core/run-id.ts';
import { DockerRuntime } from '../docker/docker-runtime.ts';
import { RELEASE, REAPER_TITLE } from './reaper.ts';
import { removeRun } from './teardown.ts';

/** When to sweep, in ms after the harness is gone: the last sweep ends well within 10 s. */
const SWEEPS_AT_MS = [0, 1500, 4000];
/** A reaper never outlives this, whatever the engine does. */
const GIVE_UP_MS = 30_000;

process.title = REAPER_TITLE;
const runId = process.argv[2] ?? '';
if (!RUN_ID_PATTERN.test(runId)) process.exit(2);

let received = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  received += chunk;
});
process.stdin.on('error', () => undefined);
process.stdin.once('close', () => void reap());

async function reap(): Promise<void> {
  if (received.includes(RELEASE)) process.exit(0);
  setTimeout(() => process.exit(1), GIVE_UP_MS).unref();
  const runtime = new DockerRuntime();
  const started = Date.now();
  for (const at of SWEEPS_AT_MS) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, started + at - Date.now())));
    // A network still in use, or a container the engine is still removing, is retried at the next sweep.
    await removeRun(runtime, runId).catch(() => undefined);
  }
  process.exit(0);
}
