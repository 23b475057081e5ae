/** Messages between the harness process and the engine's own process, and error transport. */
import type { LoadRunOptions, LoadRunResult } from '../contract.ts';
import type { LoadEvent } from '../load-events.ts';
import { HarnessError, type ExitCode } from '../../core/errors.ts';
import { UnsupportedScriptError, type Problem } from './transform/problems.ts';
import { K6ConfigError } from '../metrics/errors.ts';
import type { PhaseDeadline } from './phase-deadlines.ts';

export type SerializableOptions = Omit<LoadRunOptions, 'signal' | 'kill' | 'onProgress' | 'onEvent' | 'stdout' | 'stderr'>;

export type ParentMessage = { type: 'start'; options: SerializableOptions; wantProgress: boolean; wantEvents: boolean } | { type: 'abort' };

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  hint?: string;
  exitCode?: number;
  /** A K6ConfigError's k6 exit code (104 for bad options, 107 for an exception in init code). */
  k6ExitCode?: number;
  problems?: Problem[];
  stack?: string;
}

export type ChildMessage =
  | { type: 'progress'; line: string }
  | { type: 'event'; event: LoadEvent }
  /** A phase starts and must end by `deadline.endBy`, or the harness kills the engine (phase-deadlines.ts). */
  | { type: 'phase'; deadline: PhaseDeadline }
  | { type: 'result'; result: LoadRunResult }
  | { type: 'error'; error: SerializedError };

export function serializeError(error: unknown): SerializedError {
  if (error instanceof UnsupportedScriptError) return { name: error.name, message: error.message, problems: [...error.problems] };
  if (error instanceof K6ConfigError) return { name: error.name, message: error.message, code: error.code, hint: error.hint, k6ExitCode: error.k6ExitCode };
  if (error instanceof HarnessError) return { name: error.name, message: error.message, code: error.code, hint: error.hint, exitCode: error.exitCode };
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { name: 'Error', message: String(error) };
}

/** Rebuilds the error classes the CLI knows (codes, hints and exit codes survive the trip). */
export function deserializeError(e: SerializedError): Error {
  if (e.name === 'UnsupportedScriptError' && e.problems) return new UnsupportedScriptError(e.problems);
  if (e.name === 'K6ConfigError') return new K6ConfigError(e.message, e.hint, e.k6ExitCode);
  if (e.code !== undefined) return new HarnessError(e.code, e.message, { hint: e.hint, exitCode: (e.exitCode ?? 2) as ExitCode });
  const error = new Error(e.message);
  error.name = e.name;
  if (e.stack) error.stack = e.stack;
  return error;
}
