import { FAULT_ACTIONS } from '../core/fault-actions.ts';
import { takesReplicaAway } from '../core/fault-action-lists.ts';
import { orList } from '../scenario/problems.ts';
import { DETECTION_CAUSE_WORDS } from './figures/detection-cause.ts';
import { RECOVERY_LATENCY_FACTOR } from './figures/recovery.ts';
import type { GlossaryEntry } from './results-schema.ts';

const causes = Object.values(DETECTION_CAUSE_WORDS).join('; ');
/** The faults pinned sessions and detection time are counted for (harness/analysis/trial-plan.ts). */
const replicaTakingFaults = FAULT_ACTIONS.filter(takesReplicaAway);
const otherFaults = FAULT_ACTIONS.filter((action) => !takesReplicaAway(action));

/**
 * The definitions every figure follows, as the report shows them. The first sentences of each entry
 * are the project's design definitions, word for word; what follows says how the analysis measures it.
 * This is where the definitions live in the repository: every report shows them.
 */
export const GLOSSARY: readonly GlossaryEntry[] = [
  {
    term: 'Time',
    definition:
      "Times are milliseconds on the host's clock; t = 0 is when the load began (the engine's own start). " +
      "For the built-in engine, t0 is its test start (after VU init, before setup()), which it records in load-generator.json (startedAt). " +
      "k6 writes nothing that marks its own start in its JSON output (its vus gauges tick every second from VU initialisation, and its run duration goes only to handleSummary), " +
      'so for k6 t0 is the earliest start the load file records: the time of an iteration_duration or http_req_duration point minus its value. ' +
      'Runs recorded before the harness knew either keep their t0: the end of the first request (each trial says which). ' +
      'A k6 point is placed at the time k6 stamped on it (the end of a request). Points before t0 or at/after the end of the load are outside the trial and not counted; ' +
      'requests of setup() and teardown() inside it count like any other.',
  },
  {
    term: 'Request error rate',
    definition:
      "Failed requests / all requests, where failed is k6's http_req_failed (network error or status outside the expected 200–399). " +
      "Whole trial, per second, per fault window (default: from the fault's start to 10 s after it). " +
      'Requests are the http_reqs points. A bucket or window without requests has no error rate (shown as "–", not 0).',
  },
  {
    term: 'Per-second buckets',
    definition:
      'Bucket n holds the points from t = n s (inclusive) to n + 1 s (exclusive). req/s = requests / bucket length (the last bucket may be shorter). ' +
      "A replica's share of a second = the app_responses carrying its X-Replica / all app_responses carrying a replica in that second.",
  },
  {
    term: 'Slow requests',
    definition:
      'Slow requests of a fault window: requests slower than 10× the pre-fault p99 or than 1 s. ' +
      "The threshold is min(10 × the p99 of the fault's baseline, 1 s) — 1 s without a baseline — and requests of the window above it are counted exactly, " +
      'from their own durations. They show the stalls that error rates never show (a request that waits a second, then succeeds), next to the excess errors and on the per-second chart.',
  },
  {
    term: 'Session',
    definition:
      'What one login creates (the sid cookie). A session is lost when a request that carries it is answered "unknown session" (HTTP 401 with a JSON body naming that reason) ' +
      'or when the state the server returns is behind what the client knows it wrote (e.g. fewer cart items). ' +
      'The k6 scripts detect it on the client side (session_lost, once per session); each loss is attributed to the latest fault that started at or before it within the trial (a skipped fault is never blamed). ' +
      'A workload without sessions (none started, seen or lost, as in the bank workload) has no session figures at all: the report shows none, rather than "0 of 0".',
  },
  {
    term: 'Session loss rate',
    definition:
      'Session loss rate = lost / sessions open at the fault (active in the 10 s before it and making a request after it); also shown: lost / sessions pinned to the target. ' +
      'Open at the fault: a response carrying the session in [start − 10 s, start) and one at or after the start. The headline rate counts, of those, the sessions lost to the fault. ' +
      'Sessions created after the fault are not in the denominator: they could not be lost to it.',
  },
  {
    term: 'Pinned to the target: expected to lose, or last served by the target',
    definition:
      'Expected to lose exists only where sessions live in the replica; elsewhere the same count is "last served by the target". ' +
      `For a ${orList(replicaTakingFaults)} of a replica: the sessions whose latest response before the fault (its X-Replica) came from a target, ` +
      'and that made a request at or after its start. Where the architecture keeps sessions in the replica’s memory (stateful), losing them is expected, and the rate lost / pinned shows whether the client saw every one; ' +
      `elsewhere (stateless, event-sourced) nothing is expected to be lost and the count only says how many sessions the target was serving. Not applicable to other faults (data tier, ${otherFaults.join(', ')}).`,
  },
  {
    term: 'Scale-out latency',
    definition:
      'For each replica added at time T0 (the moment the harness asks Docker for it): phases created, started, ready (first 200 from its readiness endpoint), ' +
      'in LB (the load balancer marks it up), first request (first response carrying its X-Replica), and fair share ' +
      '(first second from which it serves at least half of 1/N of the requests for 3 s in a row; may be "not reached", which is itself a finding for sticky sessions). ' +
      'The headline number is first request − T0. Every phase is shown as its time − T0. Fair share is found on 1 s buckets (resolution 1 s) and never reported earlier than the first request; ' +
      'N is the number of replicas in service at the end of each second, from the fault timeline (an added replica counts from "in LB"). ' +
      'Phases must be ordered; an inversion is reported as a measurement problem: created ≤ started ≤ ready ≤ in LB ≤ first request is checked for every added replica, ' +
      'and a phase recorded before one that must precede it is listed beside the replica and in the trial’s warnings, never corrected silently.',
  },
  {
    term: 'Recovery time',
    definition:
      "Recovery time: from the fault's start until the error rate, and the p99 latency, on 100 ms buckets, are each back within the pre-fault band for 3 s in a row: the later of the two. " +
      "The buckets are aligned to the fault's start, so recovery is a whole number of 100 ms steps (resolution 100 ms). " +
      'The pre-fault band is what the 100 ms buckets did in the 10 s before the fault: an error rate up to the highest of those buckets and at least the baseline’s rate + 1 percentage point; ' +
      `a p99 up to ${RECOVERY_LATENCY_FACTOR} × the highest bucket p99 of the baseline (the headroom keeps one ordinary bucket a hair above the pre-fault maximum from counting as a relapse); ` +
      'a bucket without any completed request is out of the band (nothing was served) unless the baseline had runs of empty buckets as long. ' +
      'For each figure, the search starts after the first bucket of the fault window that is out of its band, and the answer is the start of the first later run of 3 s of in-band buckets; ' +
      '0 when no bucket of the window left the band; "not recovered" when the trial ended first. ' +
      'Each figure’s own recovery (errors alone, p99 alone) is shown too: the later of the two is what held recovery back. ' +
      'Taken apart, not as one search on both: an error burst that begins after a latency spike has passed still counts.',
  },
  {
    term: 'Detection time',
    definition:
      "Detection time: from the fault's start until the load balancer marks the replica down, with what detected it (health check, DNS, refused connection). " +
      'It is the first lb-states record at or after the start that puts a target replica in state down or maint; what detected it is read from the words HAProxy logged with that record: ' +
      `${causes}. ` +
      `Applies to ${orList(replicaTakingFaults, 'and')} of replicas; only records before the next fault on the same replica count; "not detected" when there is none. ` +
      'A restart the health checks never saw (the replica was back before they failed) is said in words, not shown as a missing figure.',
  },
  {
    term: 'Excess errors',
    definition:
      'Excess errors: errors in the window minus what the baseline rate predicts. The prediction is the baseline error rate × requests in the window (0 without baseline requests); ' +
      'it may be fractional. An excess is never negative: a window with fewer errors than predicted has 0 excess errors and is shown as "below baseline".',
  },
  {
    term: 'Fault window and baseline',
    definition:
      "The window of a fault is [start, start + fault window) (default 10 s); its baseline is the 10 s before the start, [start − 10 s, start). Both are cut to the trial's bounds.",
  },
  {
    term: 'Latency',
    definition:
      'Per 1 s bucket and per phase (before / during / after each fault): p50, p95, p99, max of http_req_duration, from histograms (HDR), never from averaging percentiles. ' +
      'Histograms keep 3 significant digits; percentiles are nearest-rank (the smallest recorded value with at least p % of the samples at or below it), within 0.1 %; max is exact.',
  },
  {
    term: 'Latency phases',
    definition:
      "Before = the fault's baseline, [start − 10 s, start); during = its window, [start, start + window); after = the 10 s that follow the window, [start + window, start + window + 10 s). " +
      'Each is cut to the trial; when faults are close together, their phases overlap and a request counts in each phase that contains it.',
  },
  {
    term: 'Money conservation',
    definition:
      'For the bank workload: the balances the teardown audit reads from the server must equal the deposits minus the withdrawals the server confirmed to the clients; ' +
      'operations whose outcome stayed unknown after their retries widen that range by their amounts. Below it, money was lost; above it, created (a duplicate). ' +
      'Lost transactions: confirmed operations missing from an account history; applied twice: the same idempotency key in a history more than once.',
  },
  {
    term: 'Replay and time to ready',
    definition:
      'An event-sourced replica loads the latest snapshot and replays the events appended after it before it reports ready. Replay time is that load plus replay, from the ' +
      "replica's replay_done log line; events since the snapshot is how many it replayed. Time to ready is from the harness's restart or scale-out request to the first 200 from /readyz; " +
      'the headline figure is the worst time to ready among the replays a restart or scale-out caused.',
  },
  {
    term: 'Not measured',
    definition:
      'A run that did not measure what it claims never passes. A trial is completed only when its load ran: the engine exited 0 (or 99, its own thresholds failed), ' +
      'wrote load points and made HTTP requests. Otherwise (a script error, an engine crash, no engine, a cluster that never became ready, a load stopped from outside) ' +
      'the trial failed, later trials are skipped, its figures (if any) are partial, and the verdict is "not measured" (exit 2) whatever the thresholds say.',
  },
  {
    term: 'Load generator saturated',
    definition:
      "A load generator that is itself the bottleneck measures its own queueing as the target's latency. The built-in engine measures its event-loop delay " +
      '(perf_hooks.monitorEventLoopDelay) and its CPU while the scenarios run; it is saturated when the delay p99 exceeds 10 ms, when its CPU averages 0.9 of a core or more, ' +
      "or when it uses 0.95 of a core or more for 3 s in a row. The trial's latency figures are then marked ⚠ (possibly inflated): a caveat, not a failure. k6 does not measure itself.",
  },
];
