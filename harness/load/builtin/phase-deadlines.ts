/**
 * The latest time each phase of a built-in run may end, enforced from outside the engine. A script
 * that never yields (`while (true) {}`) holds the engine's only thread, so no timer inside the engine
 * can stop it; the engine's process tells the harness process when each phase starts and by when it
 * must end (process-runner.ts), and the harness SIGKILLs it DEADLINE_MARGIN_MS after that.
 *
 * The bounds are k6's own where k6 has one:
 * - init (the process's start, compiling the script, every VU's init code): k6 has no bound; the
 *   harness allows INIT_BOUND_MS (5 min). 5,000 VUs of a project script initialise in under 3 s here,
 *   so only init code that never ends comes near it. Armed by the harness process when it forks.
 * - setup: setupTimeout; teardown: teardownTimeout (k6's defaults 60 s).
 * - the scenarios: the latest scenario's startTime + its max duration incl. graceful stop (k6's
 *   "max duration (incl. graceful stop)": duration + gracefulStop, the stages + gracefulStop or
 *   gracefulRampDown, maxDuration + gracefulStop).
 * - the end of the test (thresholds, closing the outputs, handleSummary(), the summary): SUMMARY_BOUND_MS,
 *   k6's fixed timeout for handleSummary() (2 min); the rest is the engine's own work, done in a
 *   fraction of a second.
 *
 * A kill's exit code is k6's for that phase where k6 has one: 100 past setupTimeout and 101 past
 * teardownTimeout, as k6 exits for a setup()/teardown() that overruns; otherwise 102 (k6's
 * GenericTimeout). k6 itself interrupts a spinning iteration and can end such a run with 0, but the
 * built-in engine has lost its summary and the last points once killed, so such a load is a failed
 * trial, never 0 or 99.
 */
import { K6_EXIT } from '../contract.ts';
import { formatGoDuration } from '../metrics/go-time.ts';
import { scenarioMaxDurationMs, type ScenarioConfig } from './options.ts';

export type PhaseName = 'init' | 'setup' | 'scenarios' | 'teardown' | 'end';

export interface PhaseDeadline {
  phase: PhaseName;
  /** The latest time the phase may end, milliseconds since the Unix epoch (Date.now()'s clock). */
  endBy: number;
  /** The bound in words, for the error: "the scenarios should have ended by 2s + 1s gracefulStop". */
  bound: string;
}

export const INIT_BOUND_MS = 5 * 60_000;
export const SUMMARY_BOUND_MS = 2 * 60_000;
/**
 * How long past a deadline the harness waits before the kill. A phase that ends in time is followed
 * at once by the next phase's message, or by the result; the margin only absorbs a late timer in a
 * busy engine and the message's trip, and keeps the engine's own timeouts (setupTimeout …) first.
 */
export const DEADLINE_MARGIN_MS = 3_000;

const go = formatGoDuration;

export function initDeadline(start = Date.now()): PhaseDeadline {
  return { phase: 'init', endBy: start + INIT_BOUND_MS, bound: `the init code should have ended within ${go(INIT_BOUND_MS)} (the harness's bound; k6 sets none)` };
}

export function setupDeadline(setupTimeoutMs: number, start = Date.now()): PhaseDeadline {
  return { phase: 'setup', endBy: start + setupTimeoutMs, bound: `setup() should have ended within its setupTimeout of ${go(setupTimeoutMs)}` };
}

export function teardownDeadline(teardownTimeoutMs: number, start = Date.now()): PhaseDeadline {
  return { phase: 'teardown', endBy: start + teardownTimeoutMs, bound: `teardown() should have ended within its teardownTimeout of ${go(teardownTimeoutMs)}` };
}

/** From the scenarios' common start: the end of the scenario that ends last, graceful stop included. */
export function scenariosDeadline(scenarios: readonly ScenarioConfig[], start = Date.now()): PhaseDeadline {
  let last: { end: number; grace: number; graceName: string; name: string } | undefined;
  for (const s of scenarios) {
    const end = s.startTimeMs + scenarioMaxDurationMs(s);
    const rampDown = s.executor === 'ramping-vus' && s.gracefulRampDownMs > s.gracefulStopMs;
    const grace = rampDown ? s.gracefulRampDownMs : s.gracefulStopMs;
    if (last === undefined || end > last.end) last = { end, grace, graceName: rampDown ? 'gracefulRampDown' : 'gracefulStop', name: s.name };
  }
  if (last === undefined) return { phase: 'scenarios', endBy: start, bound: 'there were no scenarios to run' };
  const which = scenarios.length > 1 ? ` (the end of scenario "${last.name}")` : '';
  return {
    phase: 'scenarios',
    endBy: start + last.end,
    bound: `the scenarios should have ended by ${go(last.end - last.grace)} + ${go(last.grace)} ${last.graceName}${which}`,
  };
}

export function endDeadline(start = Date.now()): PhaseDeadline {
  return {
    phase: 'end',
    endBy: start + SUMMARY_BOUND_MS,
    bound: `the end of the test (thresholds, handleSummary(), the summary) should have taken at most ${go(SUMMARY_BOUND_MS)}, k6's bound for handleSummary()`,
  };
}

/** The run's exit code when the engine is killed in `phase` (see above). */
export function deadlineExitCode(phase: PhaseName): number {
  if (phase === 'setup') return K6_EXIT.setupTimeout;
  if (phase === 'teardown') return K6_EXIT.teardownTimeout;
  return K6_EXIT.genericTimeout;
}

/** The error the run ends with. */
export function deadlineMessage(deadline: PhaseDeadline): string {
  return `the script did not yield: ${deadline.bound}; the engine process was killed ${go(DEADLINE_MARGIN_MS)} after that`;
}
