import { info } from './output.ts';

export const EXIT_INTERRUPTED = 130;

export interface InterruptMessages {
  /** Said on the first Ctrl-C (or SIGTERM), which aborts the signal. */
  first: (signal: NodeJS.Signals) => string;
  /** Said on the second, which exits at once with `exitCode`. */
  second: string;
  exitCode: number;
}

const CLEANUP_MESSAGES: InterruptMessages = {
  first: (name) => `${name}: stopping and removing what this run created…`,
  second: 'second interrupt: exiting now; what this run created is removed in the background (or run `harness clean`).',
  exitCode: EXIT_INTERRUPTED,
};

/**
 * Ctrl-C aborts the returned signal once, so the command can undo what it created; a second Ctrl-C
 * exits at once.
 */
export function abortOnInterrupt(
  messages: InterruptMessages = CLEANUP_MESSAGES,
  say: (line: string) => void = info,
): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      say(messages.second);
      process.exit(messages.exitCode);
    }
    say(messages.first(name));
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
