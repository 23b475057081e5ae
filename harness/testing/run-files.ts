import { readFile } from 'node:fs/promises';
import { faultEventsFile, lbStatesFile, trialFiles, trialRecordFile, type LbStateRecord, type TrialRecord } from '../core/run-files/index.ts';
import type { FaultEvent } from '../faults/fault-event.ts';

/** A trial's raw files, read back for assertions. */
export interface TrialOutput {
  record: TrialRecord;
  events: FaultEvent[];
  lbStates: LbStateRecord[];
  /** app_responses points: when, which replica, which status. */
  responses: Array<{ time: number; replica: string; status: string; session: string }>;
  lostSessions: Array<{ time: number; session: string; reason: string }>;
  failedRequests: number[];
}

const lines = async (path: string): Promise<unknown[]> =>
  (await readFile(path, 'utf8'))
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as unknown);

interface Point {
  metric: string;
  type: string;
  data: { time: string; value: number; tags: Record<string, string> };
}

export async function readTrial(runDir: string, architecture: string): Promise<TrialOutput> {
  const files = trialFiles(runDir, architecture);
  const points = (await lines(files.loadNdjson)).filter((p): p is Point => (p as Point).type === 'Point');
  return {
    record: await trialRecordFile.read(files.trial),
    events: (await faultEventsFile.read(files.events)).records,
    lbStates: (await lbStatesFile.read(files.lbStates)).records,
    responses: points
      .filter((p) => p.metric === 'app_responses')
      .map((p) => ({ time: Date.parse(p.data.time), replica: p.data.tags.replica ?? '', status: p.data.tags.status ?? '', session: p.data.tags.session ?? '' })),
    lostSessions: points
      .filter((p) => p.metric === 'session_lost')
      .map((p) => ({ time: Date.parse(p.data.time), session: p.data.tags.session ?? '', reason: p.data.tags.reason ?? '' })),
    failedRequests: points.filter((p) => p.metric === 'http_req_failed' && p.data.value === 1).map((p) => Date.parse(p.data.time)),
  };
}
