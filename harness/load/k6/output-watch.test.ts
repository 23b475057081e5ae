import { describe, expect, it } from 'vitest';
import { OutputWatch } from './output-watch.ts';

const START = Date.UTC(2026, 11, 1, 23, 27, 48, 122);
const iso = (time: number): string => new Date(time).toISOString().replace('Z', '180Z');

/** A point as k6 writes it: `metric` first. */
const k6Point = (metric: string, time: number, value: number, group = ''): string =>
  `{"metric":"${metric}","type":"Point","data":{"time":"${iso(time)}","value":${value},"tags":{"group":"${group}","scenario":"load"}}}\n`;
/** The same point with its keys in another order (as another writer may put them). */
const reordered = (metric: string, time: number, value: number, group = ''): string =>
  `{"type":"Point","data":{"tags":{"scenario":"load","group":"${group}"},"value":${value},"time":"${iso(time)}"},"metric":"${metric}"}\n`;

describe.each([
  ['k6', k6Point],
  ['its keys in another order', reordered],
])("k6's NDJSON as it is written (%s)", (_, point) => {
  it('shows the load running at its first point outside setup, begun at the earliest start it records', () => {
    const watch = new OutputWatch();
    watch.push(point('http_req_duration', START + 40, 30, '::setup'));
    // setup() alone is not the load running.
    expect(watch.start).toBeUndefined();
    // The first request of the load ends 52 ms after the start, having taken 17 ms; an iteration
    // that ends later began earlier still. A line may arrive in two pieces.
    const rest = point('http_reqs', START + 52, 1) + point('http_req_duration', START + 52, 17.25) + point('iteration_duration', START + 130, 120);
    watch.push(rest.slice(0, 100));
    watch.push(rest.slice(100));
    expect(watch.start).toEqual({ at: START + 10, source: 'output' });
    expect(watch.takeCounts()).toEqual([{ second: Math.floor((START + 52) / 1000), requests: 1, failed: 0 }]);
  });

  it('counts requests and failures by the second of their time, once each', () => {
    const watch = new OutputWatch();
    const second = Math.floor(START / 1000) + 1;
    watch.push(point('vus', START, 1) + point('http_reqs', second * 1000 + 5, 1) + point('http_req_failed', second * 1000 + 5, 1));
    watch.push(point('http_reqs', second * 1000 + 999, 1) + point('http_req_failed', second * 1000 + 999, 0) + point('http_reqs', second * 1000 + 1000, 1));
    expect(watch.takeCounts()).toEqual([
      { second, requests: 2, failed: 1 },
      { second: second + 1, requests: 1, failed: 0 },
    ]);
    expect(watch.takeCounts()).toEqual([]);
    expect(watch.start?.at).toBe(START);
  });
});

describe("k6's NDJSON, lines that are not points", () => {
  it('are passed over: Metric lines, damaged lines, a tag that looks like a metric', () => {
    const watch = new OutputWatch();
    watch.push('{"type":"Metric","data":{"name":"http_reqs","type":"counter","contains":"default","thresholds":[],"submetrics":null},"metric":"http_reqs"}\n');
    watch.push('{"metric":"http_reqs","type":"Point","data":{"time":"not a time","value":1,"tags":{}}}\n');
    watch.push('{"metric":"http_reqs","type":"Poi\n');
    expect(watch.start).toBeUndefined();
    watch.push(k6Point('vus', START, 1));
    watch.push(`{"metric":"checks","type":"Point","data":{"time":"${iso(START)}","value":1,"tags":{"metric":"http_reqs"}}}\n`);
    expect(watch.takeCounts()).toEqual([]);
  });
});
