import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { HarnessError } from '../../core/errors.ts';
import type { MetricDefinition, MetricSink, Sample, Tags } from '../contract.ts';
import type { MetricDescription } from './collector.ts';
import { goFloat, goJsonString, goJsonStringMap } from './go-json.ts';
import { createRfc3339Formatter } from './go-time.ts';
import { thresholdConfigJson } from './thresholds.ts';

/** Where the writer learns what a metric's "Metric" line says (the collector implements it). */
export interface MetricDescriber {
  describe(name: string): MetricDescription | undefined;
}

export interface NdjsonWriterOptions {
  /** Flush once this many characters are buffered. */
  bufferChars?: number;
  /** Flush at least this often so the file can be tailed during the run (k6 flushes every 200 ms). */
  flushIntervalMs?: number;
}

const DEFAULT_BUFFER_CHARS = 1 << 18;
const DEFAULT_FLUSH_INTERVAL_MS = 200;
const TAGS_CACHE_SIZE = 8;
const plainString = (text: string): string => goJsonString(text, false);

/**
 * Writes samples in k6's `--out json` format: a `{"type":"Metric",…}` line before a metric's first
 * sample, then one `{"metric":…,"type":"Point",…}` line per sample. Lines are built from cached
 * pieces (per-metric prefix, JSON of recent tags objects, per-second date) and written in large synchronous
 * chunks, which keeps the order exact and memory bounded at 100k+ samples/s.
 */
export class NdjsonWriter implements MetricSink {
  private fd: number | undefined;
  private buffer = '';
  private readonly prefixes = new Map<string, string>();
  // A small ring of recently seen tags objects and their JSON. An engine emits the ~9 samples of one
  // request with one tags object, so identity hits are the common case; a WeakMap would cost more in
  // GC for one-off objects than it saves.
  private readonly recentTags: (Tags | undefined)[] = new Array<Tags | undefined>(TAGS_CACHE_SIZE);
  private readonly recentJson: string[] = new Array<string>(TAGS_CACHE_SIZE).fill('');
  private nextSlot = 0;
  /** The first write error: later output is dropped and close() reports it, so a full disk does not crash the run. */
  private failure: Error | undefined;
  private readonly formatTime = createRfc3339Formatter();
  private readonly bufferChars: number;
  private readonly timer: NodeJS.Timeout;

  constructor(
    readonly path: string,
    private readonly describer: MetricDescriber,
    options: NdjsonWriterOptions = {},
  ) {
    try {
      mkdirSync(dirname(path), { recursive: true });
      this.fd = openSync(path, 'w');
    } catch (error) {
      throw outputError(path, error);
    }
    this.bufferChars = options.bufferChars ?? DEFAULT_BUFFER_CHARS;
    this.timer = setInterval(() => this.flush(), options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  /** Metric lines are written at a metric's first sample, as k6 does; nothing to do here. */
  define(_definition: MetricDefinition): void {}

  add(sample: Sample): void {
    if (this.fd === undefined) throw new Error(`NDJSON output ${this.path} is already closed`);
    let prefix = this.prefixes.get(sample.metric);
    if (prefix === undefined) prefix = this.startMetric(sample.metric);
    let line = `${prefix}${this.formatTime(sample.time)}","value":${goFloat(sample.value)},"tags":${this.tags(sample.tags)}`;
    if (sample.metadata !== undefined && Object.keys(sample.metadata).length > 0) {
      line += `,"metadata":${goJsonStringMap(sample.metadata)}`;
    }
    this.buffer += `${line}}}\n`;
    if (this.buffer.length >= this.bufferChars) this.flush();
  }

  flush(): void {
    if (this.fd === undefined || this.buffer.length === 0) return;
    const chunk = this.buffer;
    this.buffer = '';
    if (this.failure !== undefined) return;
    try {
      writeSync(this.fd, chunk);
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
    }
  }

  /**
   * Flushes and closes the file; later samples are an error. Safe to call twice. Rejects with a
   * HarnessError if a write failed during the run.
   */
  async close(): Promise<void> {
    clearInterval(this.timer);
    if (this.fd === undefined) return;
    this.flush();
    const fd = this.fd;
    this.fd = undefined;
    closeSync(fd);
    if (this.failure !== undefined) throw outputError(this.path, this.failure);
  }

  private startMetric(name: string): string {
    const description = this.describer.describe(name);
    if (description === undefined) throw new Error(`metric "${name}" received a sample before it was defined`);
    const { definition, thresholds, submetrics } = description;
    const encodedName = goJsonString(name);
    const thresholdsJson = `[${thresholds.map((config) => thresholdConfigJson(config, plainString)).join(',')}]`;
    const submetricsJson =
      submetrics.length === 0
        ? 'null'
        : `[${submetrics
            .map((s) => `{"name":${goJsonString(s.name)},"suffix":${goJsonString(s.suffix)},"tags":${goJsonStringMap(s.tags)}}`)
            .join(',')}]`;
    this.buffer +=
      `{"type":"Metric","data":{"name":${encodedName},"type":"${definition.type}","contains":"${definition.contains}",` +
      `"thresholds":${thresholdsJson},"submetrics":${submetricsJson}},"metric":${encodedName}}\n`;
    const prefix = `{"metric":${encodedName},"type":"Point","data":{"time":"`;
    this.prefixes.set(name, prefix);
    return prefix;
  }

  private tags(tags: Tags): string {
    const recent = this.recentTags;
    for (let i = 0; i < TAGS_CACHE_SIZE; i++) if (recent[i] === tags) return this.recentJson[i] as string;
    const json = goJsonStringMap(tags);
    recent[this.nextSlot] = tags;
    this.recentJson[this.nextSlot] = json;
    this.nextSlot = (this.nextSlot + 1) % TAGS_CACHE_SIZE;
    return json;
  }
}

function outputError(path: string, error: unknown): HarnessError {
  const reason = error instanceof Error ? error.message : String(error);
  return new HarnessError('E_K6_OUTPUT', `cannot write the NDJSON output ${path}: ${reason}`, {
    hint: 'check that the --out json=FILE directory is writable and the disk has room',
    cause: error,
  });
}
