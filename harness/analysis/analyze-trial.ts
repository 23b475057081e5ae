import path from 'node:path';
import {
  faultEventsFile,
  judgeLines,
  lbSettingsFile,
  lbStatesFile,
  loadGeneratorFile,
  requirePresent,
  TRIAL_FILES_KIND,
  trialFiles,
} from '../core/run-files/index.ts';
import { TrialAccumulator, type AccumulatedTrial } from './accumulate/trial-accumulator.ts';
import { bankFigures } from './figures/bank-figures.ts';
import { faultFigures } from './figures/fault-figures.ts';
import { replayFigures } from './figures/replay-figures.ts';
import { ReplicaLiveness } from './figures/replica-liveness.ts';
import { scaleOutFigures } from './figures/scale-out-figures.ts';
import { secondFigures } from './figures/second-figures.ts';
import { hasSessions } from './figures/session-figures.ts';
import { errorRate } from './figures/span-figures.ts';
import { readTrialRecord, type TrialRecord } from './inputs.ts';
import { scanLines } from './k6/ndjson-scanner.ts';
import { PointLineParser } from './k6/point-line-parser.ts';
import type { LoadGeneratorStats } from '../load/load-generator-stats.ts';
import type { LoadGeneratorFigures, TrialResult, TrialStatus } from './results-schema.ts';
import { planTrial, type TrialPlan } from './trial-plan.ts';

/** File names inside a trial directory, as harness/core/run-files/layout.ts lays them out. */
export const TRIAL_FILES = (() => {
  const files = trialFiles('', '');
  return {
    trial: path.basename(files.trial),
    load: path.basename(files.loadNdjson),
    events: path.basename(files.events),
    lbStates: path.basename(files.lbStates),
    containers: path.basename(files.containersDir),
    loadGenerator: path.basename(files.loadGenerator),
    lbSettings: path.basename(files.lbSettings),
  };
})();

/** The files of a trial directory that the analysis reads (for results.json's meta). */
export const TRIAL_INPUT_FILES: readonly string[] = [
  TRIAL_FILES.trial,
  TRIAL_FILES.load,
  TRIAL_FILES.events,
  TRIAL_FILES.lbStates,
  TRIAL_FILES.loadGenerator,
  TRIAL_FILES.lbSettings,
];

/**
 * Every figure of one trial from its directory: trial.json, load.ndjson (k6 NDJSON, either engine),
 * events.ndjson and lb-states.ndjson. The load file is streamed once; memory does not grow with it.
 */
export async function analyzeTrial(trialDir: string): Promise<TrialResult> {
  const trial = await readTrialRecord(path.join(trialDir, TRIAL_FILES.trial));
  const events = await faultEventsFile.read(path.join(trialDir, TRIAL_FILES.events));
  const lbStates = await lbStatesFile.read(path.join(trialDir, TRIAL_FILES.lbStates));
  const plan = planTrial(trial, events.records);

  const loadFile = path.join(trialDir, TRIAL_FILES.load);
  await requirePresent(loadFile, TRIAL_FILES_KIND, 'the trial wrote no load output');
  const accumulator = new TrialAccumulator(plan);
  const parser = new PointLineParser(accumulator);
  const scan = await scanLines(loadFile, (bytes, start, end) => parser.parseLine(bytes, start, end));
  const accumulated = accumulator.finish();

  // Logs the harness could not save are a caveat on the figures that come from them (LB states, replays).
  const logWarnings = (trial.logProblems ?? []).map((problem) => `logs not saved: ${problem}`);
  const warnings = [...events.problems, ...lbStates.problems, ...logWarnings, ...loadWarnings(loadFile, parser, accumulated, plan)];
  const liveness = new ReplicaLiveness(plan);
  const { status, failure } = trialStatus(trial, accumulated.requests);
  const loadGenerator = await loadGeneratorFile.readIfPresent(path.join(trialDir, TRIAL_FILES.loadGenerator));
  const totals = {
    requests: accumulated.requests,
    failed: accumulated.failed,
    errorRate: errorRate(accumulated.failed, accumulated.requests),
    latency: accumulated.latency.summary(),
    responsesByReplica: responsesByReplica(accumulated),
    responsesWithoutReplica: accumulated.points.responsesWithoutReplica,
    sessionsStarted: accumulated.sessionsStarted,
    sessionsSeen: accumulated.sessions.sessionsSeen,
    sessionsLost: accumulated.sessions.lostTotal,
    sessionsLostOutsideFaults: accumulated.sessions.lostOutsideFaults,
  };
  const withSessions = hasSessions(totals);
  const scaleOut = scaleOutFigures(plan, accumulated, liveness);
  // A phase inversion is a measurement problem: said where every reader looks, not only beside the replica.
  for (const replica of scaleOut) {
    for (const problem of replica.phaseProblems) warnings.push(`measurement problem: ${replica.replica} (fault #${replica.faultIndex}): ${problem}`);
  }
  return {
    name: trial.name,
    architecture: trial.architecture,
    status,
    failure,
    loadGenerator: loadGenerator === undefined ? null : loadGeneratorFigures(loadGenerator, plan.t0),
    lbSettings: (await lbSettingsFile.readIfPresent(path.join(trialDir, TRIAL_FILES.lbSettings))) ?? null,
    t0: plan.t0,
    t0Source: trial.t0Source ?? 'first-point',
    endedAt: plan.endedAt,
    durationMs: plan.durationMs,
    initialReplicas: trial.initialReplicas,
    faultWindowMs: plan.faultWindowMs,
    totals,
    seconds: secondFigures(accumulated.series, accumulated.replicas.names, plan.durationMs),
    faults: plan.faults.map((fault) => faultFigures(plan, fault, accumulated, lbStates.records, withSessions)),
    scaleOut,
    replays: await replayFigures(path.join(trialDir, TRIAL_FILES.containers), plan.t0, events.records),
    bank: bankFigures(accumulated.bank),
    inputs: {
      load: {
        file: TRIAL_FILES.load,
        bytes: scan.bytes,
        ...parser.counts,
        pointsBeforeT0: accumulated.points.beforeT0,
        pointsAfterEnd: accumulated.points.afterEnd,
        lateLatencySamples: accumulated.points.lateLatency,
      },
      events: { file: TRIAL_FILES.events, present: events.present, bytes: events.bytes, records: events.records.length },
      lbStates: { file: TRIAL_FILES.lbStates, present: lbStates.present, bytes: lbStates.bytes, records: lbStates.records.length },
    },
    warnings,
  };
}

/**
 * trial.json's status, re-checked against the load file: a trial whose harness died while it ran
 * ("running") or whose load made no request did not measure what it claims, whatever it says.
 */
function trialStatus(trial: TrialRecord, requests: number): { status: TrialStatus; failure: string | null } {
  if (trial.status === 'running') return { status: 'failed', failure: trial.error ?? 'the trial did not finish: the harness stopped while it ran' };
  if (trial.status === 'failed' || trial.status === 'interrupted') return { status: trial.status, failure: trial.error ?? `the trial was ${trial.status}` };
  if (requests === 0) return { status: 'failed', failure: `${TRIAL_FILES.load} has no HTTP request inside the trial` };
  return { status: 'completed', failure: null };
}

/** The engine's figures about itself on the trial's timeline (slice offsets from t0). */
function loadGeneratorFigures(stats: LoadGeneratorStats, t0: number): LoadGeneratorFigures {
  const startedAt = Date.parse(stats.startedAt);
  return {
    saturated: stats.saturated,
    reasons: stats.reasons,
    rule: stats.rule,
    eventLoopDelayMs: { p50: stats.eventLoopDelayMs.p50, p99: stats.eventLoopDelayMs.p99, max: stats.eventLoopDelayMs.max },
    cpuCoreFraction: stats.cpu.coreFraction,
    seconds: stats.seconds.map((slice) => ({ tMs: Math.round(startedAt + slice.t * 1000 - t0), delayP99Ms: slice.delayP99Ms, coreFraction: slice.coreFraction })),
  };
}

function responsesByReplica(accumulated: AccumulatedTrial): Record<string, number> {
  const totals: Record<string, number> = {};
  accumulated.series.responsesByReplica.forEach((counts, id) => {
    const name = accumulated.replicas.names[id];
    const total = counts.reduce((sum, count) => sum + count, 0);
    if (name !== undefined) totals[name] = total;
  });
  return totals;
}

/** What a reader of the figures should know about the input they came from. */
function loadWarnings(loadFile: string, parser: PointLineParser, accumulated: AccumulatedTrial, plan: TrialPlan): string[] {
  const warnings: string[] = [];
  const { counts } = parser;
  const damaged = judgeLines(loadFile, { lines: counts.lines, bad: counts.malformedLines, first: parser.firstBadLine }, TRIAL_FILES_KIND);
  if (damaged !== undefined) warnings.push(damaged);
  if (accumulated.requests === 0) warnings.push(`${TRIAL_FILES.load}: no http_reqs point inside the trial [t0, endedAt)`);
  const outside = accumulated.points.beforeT0 + accumulated.points.afterEnd;
  if (outside > 0) {
    warnings.push(
      `${TRIAL_FILES.load}: ${outside} point(s) outside the trial (${accumulated.points.beforeT0} before t0, ${accumulated.points.afterEnd} at/after endedAt) are not counted`,
    );
  }
  if (accumulated.points.lateLatency > 0) {
    warnings.push(
      `${TRIAL_FILES.load}: ${accumulated.points.lateLatency} latency point(s) came more than 30 s out of order; they count in the totals and phases but not in their own second or 100 ms bucket`,
    );
  }
  const expectedTypes: Record<string, string> = { http_reqs: 'counter', http_req_failed: 'rate', http_req_duration: 'trend' };
  for (const [name, type] of Object.entries(expectedTypes)) {
    const declared = parser.metricTypes.get(name);
    if (declared !== undefined && declared !== type)
      warnings.push(`${TRIAL_FILES.load}: metric ${name} is a ${declared}, expected a ${type}`);
  }
  if (plan.faults.some((fault) => fault.start < plan.t0 || fault.start >= plan.endedAt)) {
    warnings.push('events.ndjson: some faults started outside the trial; their phases are cut to the trial');
  }
  return warnings;
}
