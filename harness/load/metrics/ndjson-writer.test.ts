import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sample } from '../contract.ts';
import { K6_BUILTIN_METRICS } from './builtin-metrics.ts';
import { MetricsCollector } from './collector.ts';
import { NdjsonWriter } from './ndjson-writer.ts';

const T0 = Date.parse('2026-11-28T20:30:36Z');

describe('NdjsonWriter', () => {
  let dir: string;
  let collector: MetricsCollector;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ndjson-'));
    collector = new MetricsCollector();
    for (const metric of K6_BUILTIN_METRICS) collector.define(metric);
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a Metric line before the first Point of each metric, with thresholds and submetrics', async () => {
    collector.define({ name: 'session_lost', type: 'rate', contains: 'default' });
    collector.configureThresholds({
      thresholds: {
        http_req_failed: [{ threshold: 'rate<0.5', abortOnFail: true, delayAbortEval: '10s' }, 'rate<0.9'],
        'http_req_duration{scenario:journey}': ['p(95)<500'],
      },
    });
    const writer = new NdjsonWriter(join(dir, 'sub', 'out.ndjson'), collector);
    const tags = { expected_response: 'true', scenario: 'journey', name: 'a<b>&"c"' };
    writer.add({ metric: 'http_req_failed', time: T0 + 1.5, value: 0, tags });
    writer.add({ metric: 'http_req_duration', time: T0 + 2, value: 1e-7, tags });
    writer.add({ metric: 'http_req_failed', time: T0 + 3, value: 1, tags, metadata: { vu: '1' } });
    await writer.close();
    await writer.close();
    const lines = readFileSync(join(dir, 'sub', 'out.ndjson'), 'utf8').split('\n');
    expect(lines).toEqual([
      '{"type":"Metric","data":{"name":"http_req_failed","type":"rate","contains":"default","thresholds":[{"threshold":"rate<0.5","abortOnFail":true,"delayAbortEval":"10s"},"rate<0.9"],"submetrics":null},"metric":"http_req_failed"}',
      '{"metric":"http_req_failed","type":"Point","data":{"time":"2026-11-28T20:30:36.0015Z","value":0,"tags":{"expected_response":"true","name":"a\\u003cb\\u003e\\u0026\\"c\\"","scenario":"journey"}}}',
      '{"type":"Metric","data":{"name":"http_req_duration","type":"trend","contains":"time","thresholds":[],"submetrics":[{"name":"http_req_duration{scenario:journey}","suffix":"scenario:journey","tags":{"scenario":"journey"}},{"name":"http_req_duration{expected_response:true}","suffix":"expected_response:true","tags":{"expected_response":"true"}}]},"metric":"http_req_duration"}',
      '{"metric":"http_req_duration","type":"Point","data":{"time":"2026-11-28T20:30:36.002Z","value":1e-07,"tags":{"expected_response":"true","name":"a\\u003cb\\u003e\\u0026\\"c\\"","scenario":"journey"}}}',
      '{"metric":"http_req_failed","type":"Point","data":{"time":"2026-11-28T20:30:36.003Z","value":1,"tags":{"expected_response":"true","name":"a\\u003cb\\u003e\\u0026\\"c\\"","scenario":"journey"},"metadata":{"vu":"1"}}}',
      '',
    ]);
    for (const line of lines.slice(0, -1)) expect(() => JSON.parse(line) as unknown).not.toThrow();
    expect(() => writer.add({ metric: 'http_reqs', time: T0, value: 1, tags: {} })).toThrow('already closed');
  });

  it('keeps up with 200k samples and writes every one, in order', async () => {
    const path = join(dir, 'big.ndjson');
    const writer = new NdjsonWriter(path, collector);
    const tagSets = Array.from({ length: 50 }, (_, i) => ({
      expected_response: 'true',
      group: '::cart',
      method: 'POST',
      name: `item-${i}`,
      proto: 'HTTP/1.1',
      scenario: 'journey',
      status: '200',
      url: `http://127.0.0.1:8080/cart/items/${i}`,
    }));
    const count = 200_000;
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      const sample: Sample = { metric: 'http_req_duration', time: T0 + i * 0.01, value: 0.5 + (i % 1000) / 7, tags: tagSets[i % 50] ?? {} };
      writer.add(sample);
    }
    await writer.close();
    const elapsedMs = performance.now() - started;
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines.length).toBe(count + 1);
    expect((JSON.parse(lines[count] ?? '') as { data: { value: number } }).data.value).toBe(0.5 + ((count - 1) % 1000) / 7);
    // A generous bound, not a benchmark: it only catches a pathological slowdown (≈ 0.3 s here).
    expect(elapsedMs).toBeLessThan(10_000);
  });
});

describe('NdjsonWriter failures', () => {
  it('names the path when the file cannot be created', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ndjson-'));
    try {
      writeFileSync(join(dir, 'file'), '');
      const path = join(dir, 'file', 'out.ndjson');
      expect(() => new NdjsonWriter(path, new MetricsCollector())).toThrow(`cannot write the NDJSON output ${path}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the run going after a write error and reports it at close', async () => {
    const collector = new MetricsCollector();
    for (const metric of K6_BUILTIN_METRICS) collector.define(metric);
    // /dev/full accepts the open and fails every write with ENOSPC: a full disk.
    const writer = new NdjsonWriter('/dev/full', collector, { bufferChars: 10 });
    expect(() => writer.add({ metric: 'http_reqs', time: T0, value: 1, tags: {} })).not.toThrow();
    expect(() => writer.add({ metric: 'http_reqs', time: T0, value: 1, tags: {} })).not.toThrow();
    await expect(writer.close()).rejects.toThrow(/cannot write the NDJSON output \/dev\/full: ENOSPC/);
  });
});
