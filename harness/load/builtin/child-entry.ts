/**
 * Entry of the engine's own process (see process-runner.ts): receives the run options over IPC,
 * runs the engine in-process here, and reports progress lines, events, each phase's deadline, the
 * result or the error back.
 */
import type { LoadRunOptions } from '../contract.ts';
import { runBuiltin } from './run.ts';
import { serializeError, type ChildMessage, type ParentMessage } from './process-protocol.ts';

const send = (message: ChildMessage): void => {
  process.send?.(message);
};

process.once('message', (raw) => {
  const start = raw as ParentMessage;
  if (start.type !== 'start') return;
  const controller = new AbortController();
  process.on('message', (m) => {
    if ((m as ParentMessage).type === 'abort') controller.abort();
  });
  const options: LoadRunOptions = {
    ...start.options,
    signal: controller.signal,
    onProgress: start.wantProgress ? (line) => send({ type: 'progress', line }) : undefined,
    onEvent: start.wantEvents ? (event) => send({ type: 'event', event }) : undefined,
    stdout: process.stdout,
    stderr: process.stderr,
  };
  // Each phase's deadline goes to the harness at once: if the script then spins, this process can send
  // nothing more (libuv writes an IPC message synchronously when the pipe has room, as it does here).
  runBuiltin(options, { onPhase: (deadline) => send({ type: 'phase', deadline }) }).then(
    (result) => {
      send({ type: 'result', result });
      process.stdout.write('', () => process.stderr.write('', () => process.disconnect()));
    },
    (error: unknown) => {
      send({ type: 'error', error: serializeError(error) });
      process.stdout.write('', () => process.stderr.write('', () => process.disconnect()));
    },
  );
});
