import type { FaultEvent } from '../faults/fault-event.ts';
import type { PlannedFault } from '../plan/fault-plan.ts';

export interface TrialTick {
  trial: string;
  trialNumber: number;
  trials: number;
  elapsedMs: number;
  totalMs: number;
  requestsPerSecond: number;
  errorRate: number;
  faultsDone: number;
  faultsTotal: number;
  next: PlannedFault | undefined;
}

/** How a run shows itself while it runs: each hook is optional, called in the order named. */
export interface ProgressReporter {
  runStarted?(info: { runId: string; dir: string; trials: string[] }): void;
  /** Something the run is doing (building images, starting a cluster, collecting logs…). */
  step?(trial: string | undefined, message: string): void;
  tick?(tick: TrialTick): void;
  fault?(trial: string, event: FaultEvent): void;
  trialEnded?(trial: string, status: string, loadExitCode: number | undefined): void;
  runEnded?(info: { runId: string; dir: string; status: string }): void;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(0)}s`;

function tickLine(t: TrialTick): string {
  const next = t.next ? `next: ${t.next.action} at ${seconds(t.next.atMs)}` : 'no fault left';
  return (
    `[${t.trialNumber}/${t.trials} ${t.trial}] ${seconds(t.elapsedMs)}/${seconds(t.totalMs)}  ` +
    `${t.requestsPerSecond.toFixed(0)} req/s  errors ${(t.errorRate * 100).toFixed(1)}%  ` +
    `faults ${t.faultsDone}/${t.faultsTotal}  ${next}`
  );
}

function faultLine(trial: string, e: FaultEvent): string {
  const targets = e.targets.length > 0 ? ` ${e.targets.join(', ')}` : '';
  const late = e.startDelayMs > 0 ? ` (+${e.startDelayMs.toFixed(1)} ms late)` : '';
  return `[${trial}] ${e.revert ? 'revert ' : ''}${e.action}${targets} at ${seconds(e.scheduledOffsetMs)}${late}: ${e.outcome}${e.error ? ` — ${e.error}` : ''}`;
}

/** On a terminal: one status line rewritten in place, and a line per fault and step. */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  let live = false;
  const clear = (): void => {
    if (live) stream.write('\r\x1b[2K');
    live = false;
  };
  const say = (line: string): void => {
    clear();
    stream.write(`${line}\n`);
  };
  return {
    runStarted: (i) => say(`run ${i.runId}: ${i.trials.join(' then ')} → ${i.dir}`),
    step: (trial, message) => say(trial ? `[${trial}] ${message}` : message),
    tick: (t) => {
      clear();
      stream.write(tickLine(t));
      live = true;
    },
    fault: (trial, e) => say(faultLine(trial, e)),
    trialEnded: (trial, status, code) => say(`[${trial}] ${status}${code !== undefined ? ` (load exit ${code})` : ''}`),
    runEnded: (i) => say(`run ${i.runId} ${i.status}: ${i.dir}`),
  };
}

/** Not a terminal (CI logs): plain lines, the status line every 5 s. */
export function plainProgress(stream: NodeJS.WritableStream = process.stderr, everyMs = 5000): ProgressReporter {
  let lastTick = -Infinity;
  const say = (line: string): void => {
    stream.write(`${line}\n`);
  };
  return {
    runStarted: (i) => say(`run ${i.runId}: ${i.trials.join(' then ')} → ${i.dir}`),
    step: (trial, message) => say(trial ? `[${trial}] ${message}` : message),
    tick: (t) => {
      if (t.elapsedMs - lastTick < everyMs && t.elapsedMs >= lastTick) return;
      lastTick = t.elapsedMs;
      say(tickLine(t));
    },
    fault: (trial, e) => say(faultLine(trial, e)),
    trialEnded: (trial, status, code) => {
      lastTick = -Infinity;
      say(`[${trial}] ${status}${code !== undefined ? ` (load exit ${code})` : ''}`);
    },
    runEnded: (i) => say(`run ${i.runId} ${i.status}: ${i.dir}`),
  };
}

/** For machines: one JSON object per line on stdout. */
export function jsonProgress(stream: NodeJS.WritableStream = process.stdout): ProgressReporter {
  const emit = (type: string, data: object): void => {
    stream.write(`${JSON.stringify({ type, time: new Date().toISOString(), ...data })}\n`);
  };
  return {
    runStarted: (i) => emit('run-started', i),
    step: (trial, message) => emit('step', { trial, message }),
    tick: (t) => emit('tick', { ...t, next: t.next ? { action: t.next.action, atMs: t.next.atMs } : null }),
    fault: (trial, event) => emit('fault', { trial, event }),
    trialEnded: (trial, status, loadExitCode) => emit('trial-ended', { trial, status, loadExitCode }),
    runEnded: (i) => emit('run-ended', i),
  };
}
