import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { trialFiles, type LbStateRecord } from '../../core/run-files/index.ts';
import type { FaultEvent } from '../../faults/fault-event.ts';
import type { SyntheticTrialRecord } from './synthetic-run.ts';
import { K6_METRIC_TYPES, K6_REQUEST_TIMINGS } from './k6-ndjson-writer.ts';

export interface RealisticLoadOptions {
  /** About this many NDJSON lines are written (whole requests, so slightly more). */
  points: number;
  requestsPerSecond?: number;
  /** Concurrent virtual users; each keeps one session for `requestsPerSession` requests. */
  vus?: number;
  requestsPerSession?: number;
  t0?: number;
}

export interface RealisticLoad {
  trialDir: string;
  lines: number;
  requests: number;
  sessions: number;
  durationMs: number;
}

const FLUSH_CHARS = 4 << 20;
const REQUESTS_PER_ITERATION = 4;
const REQUEST_METRICS = ['http_reqs', 'http_req_duration', ...K6_REQUEST_TIMINGS, 'http_req_failed'] as const;
const NAMES = ['login', 'add-item', 'add-item', 'get-cart'] as const;

/**
 * Writes a trial directory whose load.ndjson looks like a long k6 run of the cart journey, fast
 * enough to make 20 M lines in a couple of minutes: per request the 9 http_req_* points,
 * app_responses (replica, session) and checks; per iteration (4 requests) data_sent,
 * data_received, iterations, iteration_duration and two group_duration; vus once a second; a
 * session_started per login — about 13 points per request, tags as k6 writes them. A kill of app-2
 * (30 % in, 3 s of errors on its requests) and a scale-out of app-4 (60 % in) give the fault paths
 * work. Only times and values vary; every tags object is encoded once.
 */
export function writeRealisticTrial(runDir: string, options: RealisticLoadOptions): RealisticLoad {
  const rate = options.requestsPerSecond ?? 2000;
  const vus = options.vus ?? 200;
  const requestsPerSession = options.requestsPerSession ?? 250;
  const t0 = options.t0 ?? Date.UTC(2026, 10, 28, 12, 0, 0);
  const pointsPerRequest = REQUEST_METRICS.length + 2 + 6 / REQUESTS_PER_ITERATION;
  const requests = Math.ceil(options.points / pointsPerRequest);
  const durationMs = Math.ceil((requests / rate) * 1000) + 1000;
  const killAt = t0 + Math.round(durationMs * 0.3);
  const scaleOutAt = t0 + Math.round(durationMs * 0.6);
  const firstOnApp4 = scaleOutAt + 1500;

  const files = trialFiles(runDir, 'stateful');
  mkdirSync(files.dir, { recursive: true });
  const trial: SyntheticTrialRecord = {
    name: 'stateful',
    architecture: 'stateful',
    t0,
    endedAt: t0 + durationMs,
    initialReplicas: ['app-1', 'app-2', 'app-3'],
    faultWindowMs: 10_000,
  };
  writeFileSync(files.trial, JSON.stringify(trial));
  writeFileSync(
    files.events,
    faultEvents(killAt, scaleOutAt)
      .map((event) => `${JSON.stringify(event)}\n`)
      .join(''),
  );
  const lbStates: LbStateRecord[] = [
    { time: killAt + 1200, slot: 'app2', state: 'down', replica: 'app-2', reason: 'Layer4 connection problem' },
    { time: scaleOutAt + 1500, slot: 'app4', state: 'up', replica: 'app-4', reason: 'Layer7 check passed' },
  ];
  writeFileSync(files.lbStates, lbStates.map((record) => `${JSON.stringify(record)}\n`).join(''));

  const fd = openSync(files.loadNdjson, 'w');
  let buffer = '';
  let lines = 0;
  const emit = (text: string): void => {
    buffer += text;
    lines++;
    if (buffer.length >= FLUSH_CHARS) {
      writeSync(fd, buffer);
      buffer = '';
    }
  };
  const prefixes = new Map<string, string>();
  const prefix = (metric: string): string => {
    let known = prefixes.get(metric);
    if (known === undefined) {
      const type = K6_METRIC_TYPES[metric] ?? 'counter';
      emit(
        `{"type":"Metric","data":{"name":"${metric}","type":"${type}","contains":"${type === 'trend' ? 'time' : 'default'}","thresholds":[],"submetrics":null},"metric":"${metric}"}\n`,
      );
      known = `{"metric":"${metric}","type":"Point","data":{"time":"`;
      prefixes.set(metric, known);
    }
    return known;
  };
  const tagsCache = new Map<string, string>();
  const tags = (key: string, build: () => Record<string, string>): string => {
    let json = tagsCache.get(key);
    if (json === undefined) {
      const object = build();
      json = `{${Object.keys(object)
        .sort()
        .map((name) => `"${name}":${JSON.stringify(object[name])}`)
        .join(',')}}`;
      tagsCache.set(key, json);
    }
    return json;
  };
  const clock = new TimeText();
  const sessions = new Set<string>();
  let lastVusSecond = -1;

  for (let k = 0; k < requests; k++) {
    const time = t0 + (k * 1000) / rate + 0.000137 * (k % 1000);
    const timeText = clock.format(time);
    const vu = k % vus;
    const perVu = Math.floor(k / vus);
    const session = `${vu}-${Math.floor(perVu / requestsPerSession)}`;
    const name = NAMES[perVu % NAMES.length] ?? 'add-item';
    let replica = `app-${(vu % 3) + 1}`;
    if (time >= firstOnApp4 && vu % 4 === 0) replica = 'app-4';
    const burst = replica === 'app-2' && time >= killAt && time < killAt + 3000;
    if (replica === 'app-2' && time >= killAt + 3000) replica = 'app-1';
    const failed = burst || k % 500 === 499;
    const status = failed ? '503' : '200';
    const httpTags = tags(`h|${name}|${status}|${session}`, () => ({
      expected_response: String(!failed),
      group: '::cart',
      method: name === 'get-cart' ? 'GET' : 'POST',
      name,
      proto: 'HTTP/1.1',
      scenario: 'journey',
      session,
      status,
      url: `http://127.0.0.1:18080/${name}`,
    }));
    const duration = 2 + ((k * 7919) % 4000) / 100 + (failed ? 100 : 0);
    for (const metric of REQUEST_METRICS) {
      const value =
        metric === 'http_reqs'
          ? '1'
          : metric === 'http_req_failed'
            ? failed
              ? '1'
              : '0'
            : metric === 'http_req_duration' || metric === 'http_req_waiting'
              ? duration.toFixed(6)
              : '0.012345';
      emit(`${prefix(metric)}${timeText}","value":${value},"tags":${httpTags}}}\n`);
    }
    const served = failed ? 'none' : replica;
    emit(
      `${prefix('app_responses')}${timeText}","value":1,"tags":${tags(`a|${name}|${status}|${session}|${served}`, () => ({ name, replica: served, session, status }))}}}\n`,
    );
    emit(
      `${prefix('checks')}${timeText}","value":${failed ? 0 : 1},"tags":${tags(`c|${name}`, () => ({ check: `${name} ok`, group: '::cart', scenario: 'journey' }))}}}\n`,
    );
    if (!sessions.has(session)) {
      sessions.add(session);
      emit(
        `${prefix('session_started')}${timeText}","value":1,"tags":${tags(`s|${session}|${replica}`, () => ({ replica, session }))}}}\n`,
      );
    }
    if (perVu % REQUESTS_PER_ITERATION === REQUESTS_PER_ITERATION - 1) {
      const iterationTags = tags('i', () => ({ group: '', scenario: 'journey' }));
      emit(`${prefix('data_sent')}${timeText}","value":912,"tags":${iterationTags}}}\n`);
      emit(`${prefix('data_received')}${timeText}","value":2214,"tags":${iterationTags}}}\n`);
      emit(`${prefix('iterations')}${timeText}","value":1,"tags":${iterationTags}}}\n`);
      emit(`${prefix('iteration_duration')}${timeText}","value":${(duration * 4).toFixed(6)},"tags":${iterationTags}}}\n`);
      emit(
        `${prefix('group_duration')}${timeText}","value":${duration.toFixed(6)},"tags":${tags('g1', () => ({ group: '::login', scenario: 'journey' }))}}}\n`,
      );
      emit(
        `${prefix('group_duration')}${timeText}","value":${(duration * 3).toFixed(6)},"tags":${tags('g2', () => ({ group: '::cart', scenario: 'journey' }))}}}\n`,
      );
    }
    const second = Math.floor((time - t0) / 1000);
    if (second !== lastVusSecond) {
      lastVusSecond = second;
      emit(`${prefix('vus')}${timeText}","value":${vus},"tags":{}}}\n`);
    }
  }
  writeSync(fd, buffer);
  closeSync(fd);
  return { trialDir: files.dir, lines, requests, sessions: sessions.size, durationMs };
}

function faultEvents(killAt: number, scaleOutAt: number): FaultEvent[] {
  const base = { type: 'fault' as const, scheduledOffsetMs: 0, startDelayMs: 0, outcome: 'ok' as const };
  return [
    {
      ...base,
      index: 0,
      action: 'kill',
      selector: '1',
      targets: ['app-2'],
      scheduledAt: killAt,
      startedAt: killAt,
      endedAt: killAt + 40,
      operations: [
        { target: 'app-2', containerId: 'c2', requestedAt: killAt, completedAt: killAt + 40, phases: { done: killAt + 40 } },
      ],
    },
    {
      ...base,
      index: 1,
      action: 'scale-out',
      selector: 'newest',
      targets: ['app-4'],
      scheduledAt: scaleOutAt,
      startedAt: scaleOutAt,
      endedAt: scaleOutAt + 1500,
      operations: [
        {
          target: 'app-4',
          containerId: 'c4',
          requestedAt: scaleOutAt,
          completedAt: scaleOutAt + 1500,
          phases: { created: scaleOutAt + 200, started: scaleOutAt + 500, ready: scaleOutAt + 1100, inLb: scaleOutAt + 1500 },
        },
      ],
    },
  ];
}

/** RFC 3339 with nanoseconds, the date and second cached (a new one once a second). */
class TimeText {
  private second = Number.NaN;
  private secondText = '';

  format(epochMs: number): string {
    const second = Math.floor(epochMs / 1000);
    if (second !== this.second) {
      this.second = second;
      this.secondText = new Date(second * 1000).toISOString().slice(0, 19);
    }
    const nanos = Math.round((epochMs - second * 1000) * 1e6);
    return `${this.secondText}.${String(nanos).padStart(9, '0')}Z`;
  }
}
