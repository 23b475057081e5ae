import { K6_EXIT } from '../load/contract.ts';

/**
 * Whether a trial's load measured what the trial claims, from how the load process ended and what
 * it wrote. Only k6's "ok" (0) and "thresholds failed" (99: the load ran, the script's own limits
 * were crossed) count as a load that ran; every other ending is a failed trial, never "completed".
 */
export interface LoadEnding {
  exitCode: number;
  /** Whether any k6 point outside setup reached the NDJSON (the load started). */
  sawPoints: boolean;
  /** http_reqs points seen in the NDJSON. */
  requests: number;
  /** The load process's stderr, for the engine's own error line. */
  stderr: string;
  /** Faults of the scenario's timeline, and how many of them started: a load that ended before its faults were due did not test them. */
  faultsPlanned: number;
  faultsStarted: number;
}

export interface LoadProblem {
  message: string;
  hint: string;
}

const RAN = new Set<number>([K6_EXIT.ok, K6_EXIT.thresholdsHaveFailed]);

const SEE_STDERR = 'the full output is in load.stderr.txt in the trial directory';

/** What each of k6's exit codes means for a trial; a table, so that no code is forgotten. */
const K6_EXIT_MEANINGS: Record<keyof typeof K6_EXIT, { meaning: string; hint: string }> = {
  ok: { meaning: 'ok', hint: '' },
  thresholdsHaveFailed: { meaning: "the script's thresholds failed", hint: '' },
  cloudTestRunFailed: { meaning: 'the cloud test run failed', hint: 'the harness runs k6 locally; remove cloud options from the script' },
  cloudFailedToGetProgress: { meaning: 'k6 could not get cloud progress', hint: 'the harness runs k6 locally; remove cloud options from the script' },
  setupTimeout: { meaning: 'setup() timed out', hint: "raise the script's setupTimeout, or check that the target answers" },
  teardownTimeout: { meaning: 'teardown() timed out', hint: "raise the script's teardownTimeout, or check that the target answers" },
  genericTimeout: { meaning: 'a timeout inside the engine', hint: SEE_STDERR },
  genericEngine: { meaning: 'an engine error', hint: SEE_STDERR },
  invalidConfig: { meaning: "the script's options are invalid", hint: 'fix the options or thresholds the message names, then run the script alone with `harness load <script>`' },
  externalAbort: { meaning: 'the load was stopped from outside', hint: 'something stopped the load process before its end (a signal, or the harness)' },
  cannotStartRestApi: { meaning: 'k6 could not start its REST API', hint: "another process holds k6's API port (6565); stop it" },
  scriptException: { meaning: 'the script threw an exception', hint: 'fix the script at the line the message names; run it alone with `harness load <script> --engine …`' },
  scriptAborted: { meaning: 'the script aborted the test (exec.test.abort() or fail() in init/setup)', hint: 'see the reason the script gave in load.stderr.txt' },
};

/** Exit codes that are not k6's: the harness's own `harness load` and the shell's signal codes. */
const OTHER_EXITS: Record<number, { meaning: string; hint: string }> = {
  1: { meaning: 'the load process failed', hint: SEE_STDERR },
  2: { meaning: 'the load could not start (bad input, or no engine)', hint: 'the message above names the cause; `harness doctor` checks the engines' },
  130: { meaning: 'the load process was interrupted', hint: 'it got SIGINT before it finished' },
  137: { meaning: 'the load process was killed (SIGKILL)', hint: 'often the out-of-memory killer: check `dmesg`, or lower the VUs' },
};

export function exitMeaning(exitCode: number): { meaning: string; hint: string } {
  const name = (Object.keys(K6_EXIT) as Array<keyof typeof K6_EXIT>).find((key) => K6_EXIT[key] === exitCode);
  if (name !== undefined) return K6_EXIT_MEANINGS[name];
  return OTHER_EXITS[exitCode] ?? { meaning: 'an unknown exit code', hint: SEE_STDERR };
}

/** undefined when the load ran and measured; otherwise why not, with the engine's own words. */
export function loadProblem(ending: LoadEnding): LoadProblem | undefined {
  const own = engineErrorLine(ending.stderr);
  const quoted = own === undefined ? '' : `: ${own}`;
  if (!RAN.has(ending.exitCode)) {
    const { meaning, hint } = exitMeaning(ending.exitCode);
    return { message: `the load exited with ${ending.exitCode} (${meaning})${quoted}`, hint };
  }
  if (!ending.sawPoints) {
    return { message: `the load exited with ${ending.exitCode} but wrote no load point${quoted}`, hint: SEE_STDERR };
  }
  if (ending.requests === 0) {
    return { message: 'the load made no HTTP request', hint: "check the script's BASE_URL use and its options (duration, iterations)" };
  }
  if (ending.faultsStarted < ending.faultsPlanned) {
    return {
      message: `only ${ending.faultsStarted} of ${ending.faultsPlanned} planned fault(s) ran: the load ended before the others were due`,
      hint: "make the script's load last as long as the scenario's load.duration, or move the faults earlier",
    };
  }
  return undefined;
}

const MAX_LINE = 400;

/**
 * The last error line the engine printed, without timestamps or banners: k6's logfmt
 * (`time=… level=error msg="…"`), k6's and the built-in engine's terminal format (`ERRO[0001] …`),
 * or the harness's own (`error [E_CODE]: …`). Only the first line of a multi-line message (k6
 * puts the stack after it) and at most 400 characters.
 */
export function engineErrorLine(stderr: string): string | undefined {
  const lines = stderr.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!.trim();
    const message = logfmtError(line) ?? /^ERRO\[\d+\]\s+(.*)$/.exec(line)?.[1] ?? /^error(?: \[[A-Z0-9_]+\])?: (.*)$/.exec(line)?.[1];
    if (message !== undefined && message.trim() !== '') return clip(message.split('\n')[0]!.trim());
  }
  return undefined;
}

function logfmtError(line: string): string | undefined {
  if (!/(^|\s)level=(error|fatal)(\s|$)/.test(line)) return undefined;
  const quoted = /(?:^|\s)msg="((?:[^"\\]|\\.)*)"/.exec(line);
  if (quoted !== undefined && quoted !== null) {
    try {
      return JSON.parse(`"${quoted[1]}"`) as string;
    } catch {
      return quoted[1];
    }
  }
  return /(?:^|\s)msg=(\S+)/.exec(line)?.[1];
}

function clip(text: string): string {
  return text.length <= MAX_LINE ? text : `${text.slice(0, MAX_LINE - 1)}…`;
}
