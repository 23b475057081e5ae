import { mkdirSync, writeFileSync } from 'node:fs';
import { runFiles, trialFiles, type LbStateRecord } from '../../core/run-files/index.ts';
import type { FaultEvent, FaultOperation } from '../../faults/fault-event.ts';
import type { TrialRecord } from '../inputs.ts';
import { K6_REQUEST_TIMINGS, K6NdjsonWriter } from './k6-ndjson-writer.ts';

/** One HTTP request of a synthetic trial, with everything the figures depend on. */
export interface SyntheticRequest {
  /** Epoch ms at which k6 records the request's points. */
  time: number;
  durationMs: number;
  failed: boolean;
  /** X-Replica of the response; "none" when no replica answered. */
  replica: string;
  session?: string;
}

export interface SyntheticPoint {
  time: number;
  session?: string;
  replica?: string;
}

/**
 * trial.json as a test writes it: of version 1 (it says no version), with what the figures depend
 * on; the reader fills in the rest as it does for old runs.
 */
export type SyntheticTrialRecord = Pick<TrialRecord, 'name' | 'architecture' | 't0' | 'endedAt' | 'initialReplicas'> &
  Partial<Pick<TrialRecord, 'status' | 'error' | 'logProblems' | 'faultWindowMs' | 't0Source'>>;

export interface SyntheticTrial {
  trial: SyntheticTrialRecord;
  requests: Iterable<SyntheticRequest>;
  sessionsStarted?: readonly SyntheticPoint[];
  sessionsLost?: readonly SyntheticPoint[];
  events?: readonly FaultEvent[];
  lbStates?: readonly LbStateRecord[];
  /** Written verbatim to load.ndjson after the generated lines. */
  extraLines?: readonly string[];
}

const COMMON_TAGS = {
  group: '::cart',
  method: 'POST',
  name: 'add-item',
  proto: 'HTTP/1.1',
  scenario: 'journey',
  url: 'http://127.0.0.1:8080/cart/items',
};

/**
 * Writes a run directory laid out like the orchestrator's (harness/core/run-files/layout.ts) from trials
 * whose truth the test knows. load.ndjson carries what k6 writes for each request — 13 points: the
 * three the analysis reads, six timings, app_responses (replica, session), checks, data_sent and
 * data_received — with k6's tags, so skipping and parsing are exercised as on real output.
 */
export function writeSyntheticRun(runDir: string, trials: readonly SyntheticTrial[], manifest?: Record<string, unknown>): void {
  mkdirSync(runFiles(runDir).trialsDir, { recursive: true });
  if (manifest !== undefined) writeFileSync(runFiles(runDir).manifest, `${JSON.stringify(manifest, null, 2)}\n`);
  for (const trial of trials) writeSyntheticTrial(runDir, trial);
}

export function writeSyntheticTrial(runDir: string, synthetic: SyntheticTrial): string {
  const files = trialFiles(runDir, synthetic.trial.architecture);
  mkdirSync(files.dir, { recursive: true });
  writeFileSync(files.trial, `${JSON.stringify(synthetic.trial, null, 2)}\n`);
  if (synthetic.events !== undefined) writeFileSync(files.events, ndjson(synthetic.events));
  if (synthetic.lbStates !== undefined) writeFileSync(files.lbStates, ndjson(synthetic.lbStates));

  const writer = new K6NdjsonWriter(files.loadNdjson);
  const tagsCache = new Map<string, Record<string, string>>();
  const tagsFor = (kind: string, status: string, session: string | undefined, replica?: string): Record<string, string> => {
    const key = `${kind}|${status}|${session ?? ''}|${replica ?? ''}`;
    let tags = tagsCache.get(key);
    if (tags === undefined) {
      if (kind === 'check') {
        tags = { check: 'item added', group: COMMON_TAGS.group, scenario: COMMON_TAGS.scenario };
      } else {
        tags = { ...COMMON_TAGS, expected_response: String(status !== '0' && Number(status) < 400), status };
        if (session !== undefined) tags.session = session;
        if (replica !== undefined) tags.replica = replica;
      }
      tagsCache.set(key, tags);
    }
    return tags;
  };
  for (const request of synthetic.requests) {
    const status = request.failed ? (request.replica === 'none' ? '0' : '503') : '200';
    const tags = tagsFor('http', status, request.session);
    writer.point('http_reqs', request.time, 1, tags);
    writer.point('http_req_duration', request.time, request.durationMs, tags);
    for (const metric of K6_REQUEST_TIMINGS)
      writer.point(metric, request.time, metric === 'http_req_waiting' ? request.durationMs : 0.01, tags);
    writer.point('http_req_failed', request.time, request.failed ? 1 : 0, tags);
    writer.point('app_responses', request.time, 1, tagsFor('app', status, request.session, request.replica));
    writer.point('checks', request.time, request.failed ? 0 : 1, tagsFor('check', status, undefined));
    writer.point('data_sent', request.time, 180, tags);
    writer.point('data_received', request.time, 320, tags);
  }
  for (const point of synthetic.sessionsStarted ?? []) writer.point('session_started', point.time, 1, customTags(point));
  for (const point of synthetic.sessionsLost ?? []) {
    writer.point('session_lost', point.time, 1, { ...customTags(point), reason: 'unknown_session' });
  }
  for (const line of synthetic.extraLines ?? []) writer.raw(line);
  writer.close();
  return files.dir;
}

function customTags(point: SyntheticPoint): Record<string, string> {
  const tags: Record<string, string> = {};
  if (point.session !== undefined) tags.session = point.session;
  if (point.replica !== undefined) tags.replica = point.replica;
  return tags;
}

function ndjson(records: readonly object[]): string {
  return records.map((record) => `${JSON.stringify(record)}\n`).join('');
}

/** A fault event as the fault timeline writes it, with defaults for what a test does not care about. */
export function faultEvent(
  fields: Pick<FaultEvent, 'index' | 'action' | 'targets' | 'startedAt'> & Partial<FaultEvent>,
): FaultEvent {
  const operations: FaultOperation[] =
    fields.operations ??
    fields.targets.map((target) => ({
      target,
      containerId: `id-${target}`,
      requestedAt: fields.startedAt,
      completedAt: fields.startedAt + 50,
      phases: { done: fields.startedAt + 50 },
    }));
  return {
    type: 'fault',
    selector: '0',
    scheduledOffsetMs: 0,
    scheduledAt: fields.startedAt,
    endedAt: fields.startedAt + 50,
    startDelayMs: 0,
    outcome: 'ok',
    ...fields,
    operations,
  };
}
