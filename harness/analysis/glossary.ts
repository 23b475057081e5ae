import type { GlossaryEntry } from './results-schema.ts';

/**
 * The definitions every figure follows, as the report shows them. The first sentences of each entry
 * are DESIGN.md's "Definitions", word for word; what follows says how the analysis measures it.
 */
export const GLOSSARY: readonly GlossaryEntry[] = [
  {
    term: 'Time',
    definition:
      "Times are milliseconds on the host's clock; t = 0 is the start of the load (the trial's t0). " +
      'A k6 point is placed at the time k6 stamped on it. Points before t0 or at/after the end of the load are outside the trial and not counted.',
  },
  {
    term: 'Request error rate',
    definition:
      "Failed requests / all requests, where failed is k6's http_req_failed (network error or status outside the expected 200–399). " +
      "Reported for the whole trial, per 1 s bucket, and per fault window (default: from the fault's start to 10 s after it). " +
      'Requests are the http_reqs points. A bucket or window without requests has no error rate (shown as "–", not 0).',
  },
  {
    term: 'Per-second buckets',
    definition:
      'Bucket n holds the points from t = n s (inclusive) to n + 1 s (exclusive). req/s = requests / bucket length (the last bucket may be shorter). ' +
      "A replica's share of a second = the app_responses carrying its X-Replica / all app_responses carrying a replica in that second.",
  },
  {
    term: 'Session',
    definition:
      'What one login creates (the sid cookie). A session is lost when a request that carries it is answered "unknown session" (HTTP 401 with a JSON body naming that reason) ' +
      'or when the state the server returns is behind what the client knows it wrote (e.g. fewer cart items). ' +
      'The k6 scripts detect it on the client side (session_lost, once per session); each loss is attributed to the latest fault that started at or before it within the trial (a skipped fault is never blamed).',
  },
  {
    term: 'Session loss rate',
    definition:
      'Sessions lost / sessions that made at least one request after the fault (a response of any kind at or after its start).',
  },
  {
    term: 'Sessions expected to lose',
    definition:
      'For a kill, stop, restart, pause, partition or scale-in of a replica: the sessions whose last replica before the fault (the X-Replica of their latest response before its start) ' +
      'is a target of the fault, and that made at least one request after its start. Shown next to "lost" to cross-check the client-side detection; ' +
      '"lost and expected" counts the sessions in both. Not applicable to other faults (data tier, unpause, heal, scale-out).',
  },
  {
    term: 'Scale-out latency',
    definition:
      'For each replica added at time T0 (the moment the harness asks Docker for it): phases created, started, ready (first 200 from its readiness endpoint), ' +
      'in LB (the load balancer marks it up), first request (first response carrying its X-Replica), and fair share ' +
      '(first second from which it serves at least half of 1/N of the requests for 3 s in a row; may be "not reached", which is itself a finding for sticky sessions). ' +
      'The headline number is first request − T0. Every phase is shown as its time − T0. Fair share is found on 1 s buckets (resolution 1 s) and never reported earlier than the first request; ' +
      'N is the number of replicas in service at the end of each second, from the fault timeline (an added replica counts from "in LB").',
  },
  {
    term: 'Recovery time',
    definition:
      "After a fault: from the fault's start until the per-second error rate is back within the pre-fault baseline (the 10 s before the fault) plus 1 percentage point, for 3 s in a row. " +
      'Measured on 1 s buckets (resolution 1 s) as the start of the first of 3 consecutive complete in-band seconds minus the fault start, searched after the first second of the fault window ' +
      'that is out of the band (a second without any completed request counts as out of the band). 0 when the fault caused no excess errors or no second of its window left the band; ' +
      '"not recovered" when the trial ended first.',
  },
  {
    term: 'Detection time',
    definition:
      "From the fault's start until the load balancer marks the replica down: the first lb-states record at or after the start that puts a target replica in state down or maint. " +
      'Applies to kill, stop, restart, pause, partition and scale-in of replicas; only records before the next fault on the same replica count; "not detected" when there is none.',
  },
  {
    term: 'Excess errors',
    definition:
      'Of a fault: errors in its window minus what the baseline rate predicts (baseline error rate × requests in the window). May be negative or fractional; ' +
      'with no requests in the baseline, the prediction is 0.',
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
