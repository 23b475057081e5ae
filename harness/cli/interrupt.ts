import { info } from './output.ts';

export const EXIT_INTERRUPTED = 130;

/**
 * Ctrl-C aborts the returned signal once, so the command can undo what it created; a second Ctrl-C
 * exits at once.
 */
export function abortOnInterrupt(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      info('second interrupt: exiting without cleaning up (run `harness clean`).');
      process.exit(EXIT_INTERRUPTED);
    }
    info(`${name}: stopping and removing what this run created…`);
    controller.abort(new Interrupted(name));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

export class Interrupted extends Error {
  constructor(signal: string) {
    super(`interrupted by ${signal}`);
    this.name = 'Interrupted';
  }
}

export function isInterrupted(error: unknown): boolean {
  return error instanceof Interrupted || (error instanceof Error && error.name === 'AbortError');
}
