import { BankTally, isBankMetric } from './bank-tally.ts';
import type { FaultOperation } from '../../faults/fault-event.ts';
import { MetricCode } from '../k6/metric-codes.ts';
import type { PointSink, PointTags } from '../k6/point-line-parser.ts';
import { HISTOGRAM_BUCKETS, LatencyHistogram } from '../stats/latency-histogram.ts';
import { RollingBuckets } from '../stats/rolling-buckets.ts';
import { BUCKET_MS, FINE_BUCKET_MS, type TrialPlan } from '../trial-plan.ts';
import { FaultFineSeries } from './fault-fine-series.ts';
import { NO_REPLICA_ID, ReplicaRegistry } from './replica-registry.ts';
import { SecondSeries } from './second-series.ts';
import { SessionBook, type SessionTally } from './session-book.ts';
import { SpanIndex, SpanStats } from './span-stats.ts';

/** How far back (in 1 s buckets) a latency point may arrive and still count in its own second. */
export const LATE_WINDOW_SECONDS = 32;

/** The three latency phases of one fault, in plan order. */
export interface FaultSpans {
  before: SpanStats;
  during: SpanStats;
  after: SpanStats;
}

/** A replica added by a scale-out operation, watched for its first response. */
export interface ScaleOutWatch {
  operation: FaultOperation;
  replica: string;
  requestedAt: number;
  /** Epoch ms of the first app response it served at or after requestedAt; NaN until then. */
  firstResponseAt: number;
}

export interface PointCounts {
  /** Kept points whose time is before t0 or at/after endedAt. */
  beforeT0: number;
  afterEnd: number;
  /** Latency points that arrived after their second had been closed (see LATE_WINDOW_SECONDS). */
  lateLatency: number;
  /** app_responses without a replica (replica tag "none" or missing). */
  responsesWithoutReplica: number;
}

/** Everything read from the load file, ready for the figures. */
export interface AccumulatedTrial {
  bank: BankTally;
  series: SecondSeries;
  latency: LatencyHistogram;
  requests: number;
  failed: number;
  sessionsStarted: number;
  faultSpans: readonly FaultSpans[];
  /** Per fault position: 100 ms buckets aligned to its start, and its window's latencies. */
  faultSeries: readonly FaultFineSeries[];
  sessions: SessionTally;
  replicas: ReplicaRegistry;
  scaleOutWatches: readonly ScaleOutWatch[];
  points: PointCounts;
}

/**
 * Routes each kept k6 point to the figures it feeds, in one pass: per-second counters and latency
 * histograms, the fault phases around it, the session book and the scale-out watches. Memory is the
 * per-second counters, a fixed number of histograms, and the sessions — never the points.
 */
export class TrialAccumulator implements PointSink {
  private readonly series: SecondSeries;
  private readonly latency = new LatencyHistogram();
  private readonly seconds: RollingBuckets<LatencyHistogram>;
  private readonly faultSpans: FaultSpans[];
  private readonly faultSeries: FaultFineSeries[];
  private readonly spanIndex: SpanIndex;
  private readonly sessions: SessionBook;
  private readonly replicas = new ReplicaRegistry();
  private readonly watches: ScaleOutWatch[] = [];
  private readonly watchesByReplicaId: Array<ScaleOutWatch[] | undefined> = [];
  private readonly points: PointCounts = { beforeT0: 0, afterEnd: 0, lateLatency: 0, responsesWithoutReplica: 0 };
  private requests = 0;
  private failed = 0;
  private sessionsStarted = 0;
  private readonly bank = new BankTally();
  private readonly t0: number;
  private readonly endedAt: number;

  constructor(plan: TrialPlan) {
    this.t0 = plan.t0;
    this.endedAt = plan.endedAt;
    this.series = new SecondSeries(plan.buckets);
    this.seconds = new RollingBuckets(HISTOGRAM_BUCKETS, LATE_WINDOW_SECONDS, (second, histogram) => {
      this.series.closeLatency(second, histogram);
      this.latency.add(histogram);
    });
    this.faultSpans = plan.faults.map((fault) => ({
      before: new SpanStats(fault.before),
      during: new SpanStats(fault.during),
      after: new SpanStats(fault.after),
    }));
    this.spanIndex = new SpanIndex(
      this.faultSpans.flatMap((spans) => [spans.before, spans.during, spans.after]),
      plan.t0,
      plan.buckets,
    );
    // Replica ids are needed before the first point: register every name a fault can target.
    for (const name of plan.trial.initialReplicas) this.replicas.idOf(name);
    for (const fault of plan.faults) for (const name of fault.replicaTargets) this.replicas.idOf(name);
    this.faultSeries = plan.faults.map((fault) => new FaultFineSeries(fault, plan.t0, plan.endedAt, (LATE_WINDOW_SECONDS * BUCKET_MS) / FINE_BUCKET_MS));
    this.sessions = new SessionBook(
      plan.faults.map((fault) => ({
        start: fault.start,
        attributable: fault.attributesSessions,
        targetReplicaIds: fault.takesReplicaAway ? new Set(fault.replicaTargets.map((name) => this.replicas.idOf(name))) : null,
      })),
    );
    for (const fault of plan.faults) {
      if (fault.event.action !== 'scale-out' || fault.event.outcome === 'skipped') continue;
      for (const operation of fault.event.operations) {
        const watch: ScaleOutWatch = {
          operation,
          replica: operation.target,
          requestedAt: operation.requestedAt,
          firstResponseAt: Number.NaN,
        };
        this.watches.push(watch);
        const id = this.replicas.idOf(operation.target);
        (this.watchesByReplicaId[id] ??= []).push(watch);
      }
    }
  }

  point(metric: MetricCode, timeMs: number, value: number, tags: Readonly<PointTags>): void {
    // Money is counted whenever it was reported: the audit runs in teardown, after the load.
    if (isBankMetric(metric)) {
      this.bank.point(metric, value, tags);
      return;
    }
    if (timeMs < this.t0) {
      this.points.beforeT0++;
      return;
    }
    if (timeMs >= this.endedAt) {
      this.points.afterEnd++;
      return;
    }
    const bucket = Math.floor((timeMs - this.t0) / BUCKET_MS);
    switch (metric) {
      case MetricCode.httpReqs: {
        this.requests += value;
        this.series.requests[bucket] = (this.series.requests[bucket] ?? 0) + value;
        for (const span of this.spanIndex.near(bucket)) if (span.contains(timeMs)) span.requests += value;
        for (const series of this.faultSeries) series.request(timeMs, value);
        return;
      }
      case MetricCode.httpReqFailed: {
        this.failed += value;
        this.series.failed[bucket] = (this.series.failed[bucket] ?? 0) + value;
        for (const span of this.spanIndex.near(bucket)) if (span.contains(timeMs)) span.failed += value;
        for (const series of this.faultSeries) series.failure(timeMs, value);
        return;
      }
      case MetricCode.httpReqDuration: {
        if (!this.seconds.record(bucket, value)) {
          this.points.lateLatency++;
          this.latency.record(value);
        }
        for (const span of this.spanIndex.near(bucket)) if (span.contains(timeMs)) span.latency.record(value);
        for (const series of this.faultSeries) series.latency(timeMs, value);
        return;
      }
      case MetricCode.appResponses:
        this.appResponse(bucket, timeMs, value, tags);
        return;
      case MetricCode.sessionStarted:
        this.sessionsStarted += value;
        return;
      case MetricCode.sessionLost:
        // A counter of 1 per lost session; a Rate-style 0 means "not lost".
        if (value > 0) this.sessions.lost(tags.session, timeMs);
        return;
      default:
        return;
    }
  }

  finish(): AccumulatedTrial {
    this.seconds.closeAll();
    for (const series of this.faultSeries) series.finish();
    return {
      bank: this.bank,
      series: this.series,
      latency: this.latency,
      requests: this.requests,
      failed: this.failed,
      sessionsStarted: this.sessionsStarted,
      faultSpans: this.faultSpans,
      faultSeries: this.faultSeries,
      sessions: this.sessions.tally(),
      replicas: this.replicas,
      scaleOutWatches: this.watches,
      points: this.points,
    };
  }

  private appResponse(bucket: number, timeMs: number, value: number, tags: Readonly<PointTags>): void {
    const replicaId = this.replicas.idOf(tags.replica);
    if (replicaId === NO_REPLICA_ID) {
      this.points.responsesWithoutReplica += value;
    } else {
      this.series.addResponse(bucket, replicaId, value);
      const watches = this.watchesByReplicaId[replicaId];
      if (watches !== undefined) {
        for (const watch of watches) {
          if (timeMs >= watch.requestedAt && !(timeMs >= watch.firstResponseAt)) watch.firstResponseAt = timeMs;
        }
      }
    }
    if (tags.session !== undefined) this.sessions.response(tags.session, timeMs, replicaId);
  }
}
