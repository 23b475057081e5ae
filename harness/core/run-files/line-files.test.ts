import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { faultEventsFile } from './fault-events.ts';
import { lbCountersFile, type LbCountersSnapshot, type LbTrafficCounters } from './lb-counters.ts';
import { lbStatesFile, type LbStateRecord } from './lb-states.ts';

const work = mkdtempSync(path.join(os.tmpdir(), 'run-files-lines-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const traffic: LbTrafficCounters = {
  requests: 10,
  responses: { '1xx': 0, '2xx': 9, '3xx': 0, '4xx': 1, '5xx': 0, other: 0 },
  connectionErrors: 0,
  responseErrors: 0,
  retries: 1,
  redispatches: 1,
  clientAborts: 0,
  serverAborts: 0,
};
const snapshot: LbCountersSnapshot = {
  time: 1000,
  reason: 'fault',
  faultIndex: 0,
  action: 'kill',
  frontend: { requests: 10, responses: traffic.responses, requestErrors: 0, connections: 4 },
  backend: traffic,
  servers: [{ ...traffic, slot: 'app1', address: '10.0.0.2', replica: 'app-1', status: 'UP' }],
  logSinks: [{ name: 'events', type: 'buf', dropped: 0 }],
};
const states: LbStateRecord[] = [
  { time: 1200, slot: 'app2', state: 'down', replica: 'app-2', reason: 'Layer4 connection problem' },
  { time: 1500, slot: 'app2', state: 'address', replica: null, address: '10.0.0.9', reason: 'DNS' },
];
const event = {
  type: 'fault' as const,
  index: 0,
  action: 'kill' as const,
  selector: 'busiest',
  targets: ['app-2'],
  scheduledOffsetMs: 1000,
  scheduledAt: 2000,
  startedAt: 2003,
  endedAt: 2050,
  startDelayMs: 3,
  outcome: 'ok' as const,
  operations: [{ target: 'app-2', containerId: 'c2', requestedAt: 2003, completedAt: 2050, phases: { done: 2050 } }],
};

describe('the line files of a trial', () => {
  it('read back what their writers write, one record a line', async () => {
    const counters = path.join(work, 'lb-counters.ndjson');
    await lbCountersFile.write(counters, [snapshot, { ...snapshot, reason: 'end', time: 2000 }]);
    expect(readFileSync(counters, 'utf8').split('\n')).toHaveLength(3);
    expect((await lbCountersFile.read(counters)).records).toEqual([snapshot, { ...snapshot, reason: 'end', time: 2000 }]);

    const lbStates = path.join(work, 'lb-states.ndjson');
    await lbStatesFile.write(lbStates, states);
    expect(await lbStatesFile.read(lbStates)).toEqual({ present: true, bytes: readFileSync(lbStates).length, records: states, problems: [] });

    const events = path.join(work, 'events.ndjson');
    await faultEventsFile.write(events, []);
    await faultEventsFile.append(events, event);
    await faultEventsFile.append(events, { ...event, index: 1 });
    expect((await faultEventsFile.read(events)).records.map((record) => record.index)).toEqual([0, 1]);
  });

  it('are empty when the trial wrote none', async () => {
    await expect(lbStatesFile.read(path.join(work, 'none.ndjson'))).resolves.toEqual({ present: false, bytes: 0, records: [], problems: [] });
  });

  it('skip a few bad lines with a warning naming the first; refuse a corrupted file naming the file and the line', async () => {
    const file = path.join(work, 'damaged.ndjson');
    const good = `${JSON.stringify(states[0])}\n`;
    writeFileSync(file, `${good}${good}{"time": 1, "slot": "app1", "state": "sideways"\n${good}`);
    const read = await lbStatesFile.read(file);
    expect(read.records).toHaveLength(3);
    expect(read.problems).toEqual(['damaged.ndjson: 1 of 4 line(s) cannot be read and were skipped (first: line 3: not JSON)']);

    writeFileSync(file, `${good}{"time": 1}\nnot json\n`);
    await expect(lbStatesFile.read(file)).rejects.toMatchObject({
      code: 'E_ANALYSIS_INPUT',
      exitCode: 2,
      message: expect.stringMatching(/damaged\.ndjson: corrupted: 2 of 3 line\(s\) cannot be read; the first is line 2: /),
    });
  });

  it('refuse to write a record their reader would skip', async () => {
    await expect(lbStatesFile.write(path.join(work, 'bad.ndjson'), [{ ...states[0]!, state: 'sideways' as 'up' }])).rejects.toThrow();
  });
});
