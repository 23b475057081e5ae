import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { startCluster, type Cluster, type ClusterImages } from '../cluster/cluster.ts';
import type { ContainerRuntime } from '../docker/runtime.ts';
import { faultEventsFile, trialFiles, trialRecordFile, type TrialRecord } from '../core/run-files/index.ts';
import { FaultTimeline } from '../faults/timeline.ts';
import type { LoadEngine } from '../load/contract.ts';
import type { TrialPlan } from '../plan/run-plan.ts';
import { sleep } from '../cluster/probes.ts';
import { collectLogs } from './collect-logs.ts';
import { LiveLoad } from './live-load.ts';
import { trialStart } from './load-start.ts';
import { loadProblem } from './load-outcome.ts';
import { startLoad, type LoadEnd } from './load-process.ts';
import type { ProgressReporter } from './progress.ts';

export interface TrialContext {
  runDir: string;
  runtime: ContainerRuntime;
  images: ClusterImages;
  /** The engine the run resolved (once, for every trial). */
  engine: LoadEngine;
  seed: number;
  trialNumber: number;
  trials: number;
  progress: ProgressReporter;
  signal: AbortSignal;
}

/** How long the load may take to start before the trial gives up. */
const LOAD_START_TIMEOUT_MS = 60_000;
const POLL_MS = 100;

/**
 * One trial: cluster up, load and fault timeline together, then logs saved and everything removed.
 * The cluster is removed and pending reverts are applied whatever happens (failure, Ctrl-C).
 */
export async function runTrial(plan: TrialPlan, ctx: TrialContext): Promise<TrialRecord> {
  const files = trialFiles(ctx.runDir, plan.name);
  await mkdir(files.containersDir, { recursive: true });
  const say = (message: string): void => ctx.progress.step?.(plan.name, message);
  const record: TrialRecord = {
    schemaVersion: 2,
    name: plan.name,
    architecture: plan.architecture,
    status: 'running',
    t0: null,
    endedAt: null,
    startedAt: Date.now(),
    clusterReadyAt: null,
    initialReplicas: [],
    faultWindowMs: plan.faultWindowMs,
    loadDurationMs: plan.load.durationMs,
    loadExitCode: null,
    lbUrl: null,
  };
  const save = (): Promise<void> => trialRecordFile.write(files.trial, record);
  const loadStderr = files.loadStderr;
  await faultEventsFile.write(files.events, []);
  await save();

  say(`starting ${plan.cluster.replicas} replica(s)`);
  let cluster: Cluster;
  try {
    cluster = await startCluster(plan.cluster, ctx.images, ctx.runtime, { signal: ctx.signal, lbLogPath: files.lbLog });
  } catch (error) {
    // The trial.json of a cluster that never came up says why, so the run directory does too.
    record.status = ctx.signal.aborted ? 'interrupted' : 'failed';
    record.error = `the cluster did not start: ${error instanceof Error ? error.message : String(error)}`;
    record.endedAt = Date.now();
    await save();
    ctx.progress.trialEnded?.(plan.name, record.status, undefined);
    throw error;
  }
  try {
    record.clusterReadyAt = Date.now();
    record.initialReplicas = cluster.replicas().map((r) => r.name);
    if (cluster.seeded !== undefined) record.seeded = cluster.seeded;
    record.lbUrl = cluster.lbUrl;
    await save();

    const timeline = new FaultTimeline({
      cluster,
      faults: plan.faults,
      seed: ctx.seed,
      eventsPath: files.events,
      onEvent: (event) => {
        ctx.progress.fault?.(plan.name, event);
        // The load balancer's exact counts once the fault is done (kept by the cluster, saved at the end).
        void cluster.snapshotLbCounters({ reason: 'fault', faultIndex: event.index, action: event.action }).catch(() => undefined);
      },
    });
    say(`load: ${path.basename(plan.load.script)} (${plan.load.engine}) against ${cluster.lbUrl}`);
    const live = new LiveLoad();
    const load = startLoad(
      ctx.engine,
      plan.load,
      cluster.lbUrl,
      {
        ndjson: files.loadNdjson,
        summaryExport: files.loadSummary,
        scriptBundle: files.scriptBundle,
        engineStats: files.loadGenerator,
        stdout: files.loadStdout,
        stderr: loadStderr,
        cwd: files.dir,
      },
      (event) => live.add(event),
    );
    const onAbort = (): void => load.stop();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    let ended: LoadEnd | undefined;
    void load.ended.then((end) => {
      ended = end;
    });
    try {
      const spawnedAt = Date.now();
      while (ended === undefined) {
        // The load's start, as its engine tells it, anchors the fault timeline; k6's is refined once
        // the load has ended (below).
        if (record.t0 === null && live.start !== undefined) {
          const start = trialStart(live.start);
          record.t0 = start.t0;
          record.t0Source = start.source;
          timeline.start(start.t0);
          await save();
        }
        if (record.t0 === null && Date.now() - spawnedAt > LOAD_START_TIMEOUT_MS) {
          load.stop(5000);
          throw new Error(`the load sent nothing within ${LOAD_START_TIMEOUT_MS / 1000} s; see ${loadStderr}`);
        }
        if (record.t0 !== null) tick(ctx, plan, record.t0, live, timeline);
        await Promise.race([sleep(POLL_MS), load.ended]);
      }
      record.loadExitCode = ended.exitCode;
      record.endedAt = Date.now();
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
      load.stop(5000);
      await load.ended;
      await timeline.finish();
    }
    // t0 is when the load began (load-start.ts): as the engine gave it with its result (k6's, from its
    // whole file), else as it announced it. A load that ended within one poll has its t0 set only here.
    const started = live.start !== undefined;
    if (live.start !== undefined) {
      const start = trialStart(ended.start ?? live.start);
      record.t0 = start.t0;
      record.t0Source = start.source;
    }
    if (ctx.signal.aborted) record.status = 'interrupted';
    else {
      const problem = loadProblem({
        exitCode: record.loadExitCode ?? 1,
        sawPoints: started,
        requests: live.requests,
        stderr: await readFile(loadStderr, 'utf8').catch(() => ''),
        faultsPlanned: plan.faults.length,
        faultsStarted: timeline.firedCount,
      });
      record.status = problem === undefined ? 'completed' : 'failed';
      if (problem !== undefined) {
        record.error = problem.message;
        record.hint = problem.hint;
      }
    }
  } catch (error) {
    record.status = ctx.signal.aborted ? 'interrupted' : 'failed';
    record.error = error instanceof Error ? error.message : String(error);
    throw error;
  } finally {
    record.endedAt ??= Date.now();
    say('saving logs and removing the cluster');
    const problems = await collectLogs(cluster, files).catch((error: unknown) => [String(error)]);
    if (problems.length > 0) record.logProblems = problems;
    await save();
    await cluster.down();
    ctx.progress.trialEnded?.(plan.name, record.status, record.loadExitCode ?? undefined);
  }
  return record;
}

function tick(ctx: TrialContext, plan: TrialPlan, t0: number, live: LiveLoad, timeline: FaultTimeline): void {
  const now = Date.now();
  const last = live.lastSecond(now);
  ctx.progress.tick?.({
    trial: plan.name,
    trialNumber: ctx.trialNumber,
    trials: ctx.trials,
    elapsedMs: Math.max(0, now - t0),
    totalMs: plan.load.durationMs,
    requestsPerSecond: last.requests,
    errorRate: last.requests > 0 ? last.failed / last.requests : 0,
    faultsDone: timeline.firedCount,
    faultsTotal: plan.faults.length,
    next: timeline.next(),
  });
}
