import { TAG_OP } from '../../../k6-scripts/lib/bank-metrics.ts';
import { TAG_REPLICA, TAG_SESSION } from '../../../k6-scripts/lib/metric-names.ts';
import { ascii, startsWithBytes } from './bytes.ts';
import { JsonNumberReader } from './json-number.ts';
import { MetricCode, MetricNameReader, metricCodeOf, needsTags } from './metric-codes.ts';
import { Rfc3339Parser } from './rfc3339.ts';
import { TagValueInterner } from './tag-value-interner.ts';

/** The tags the analysis reads. One object is reused for every point: copy what you keep. */
export interface PointTags {
  session: string | undefined;
  replica: string | undefined;
  /** The bank script's operation (deposit, withdraw, transfer). */
  op: string | undefined;
}

/** Receives each kept point; called synchronously, in file order. */
export interface PointSink {
  point(metric: MetricCode, timeMs: number, value: number, tags: Readonly<PointTags>): void;
}

/** What the parser saw, for the trial's `inputs` section. */
export interface LineCounts {
  /** Non-empty lines. */
  lines: number;
  /** Point lines of a metric the analysis reads. */
  pointsKept: number;
  /** Lines of a metric the analysis does not read, dropped unparsed. */
  pointsSkipped: number;
  /** `Metric` definition lines. */
  metricDefinitions: number;
  /** Lines that needed a full JSON.parse (another key order, an escape in a tag, metadata…). */
  slowPathLines: number;
  /**
   * Lines that are not JSON, JSON that is neither a Metric nor a Point line of k6's shape, or a point
   * of a read metric whose value cannot be (negative, non-finite, a rate other than 0 or 1).
   */
  malformedLines: number;
}

/** The first line the parser could not use: its 1-based number in the file and why. */
export interface BadLine {
  line: number;
  reason: string;
}

const POINT_PREFIX = ascii('{"metric":"');
const AFTER_NAME = ascii('","type":"Point","data":{"time":"');
const AFTER_TIME = ascii('","value":');
const AFTER_VALUE = ascii(',"tags":');
const NULL = ascii('null');
const SESSION_KEY = ascii(TAG_SESSION);
const REPLICA_KEY = ascii(TAG_REPLICA);
const OP_KEY = ascii(TAG_OP);
const QUOTE = 34;
const BACKSLASH = 92;
const COLON = 58;
const COMMA = 44;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

/**
 * Turns k6 `--out json` lines into points for a sink. Real k6 and the built-in engine write each
 * point as `{"metric":NAME,"type":"Point","data":{"time":…,"value":…,"tags":{…}}}`; on that shape the
 * fast path reads the name in place and drops the line at once when the metric is not needed (most
 * lines), and otherwise reads time, value and, for the custom metrics, two tags without decoding the
 * line. Any line that deviates — another key order, an escaped character in a tag, metadata after the
 * tags — takes the slow path through JSON.parse: the format is read correctly in any key order; only
 * the speed differs.
 */
export class PointLineParser {
  readonly counts: LineCounts = {
    lines: 0,
    pointsKept: 0,
    pointsSkipped: 0,
    metricDefinitions: 0,
    slowPathLines: 0,
    malformedLines: 0,
  };
  /** Metric name → k6 type ("counter", "rate", "trend", "gauge") from the `Metric` lines. */
  readonly metricTypes = new Map<string, string>();
  private readonly name = new MetricNameReader();
  private readonly time = new Rfc3339Parser();
  private readonly values = new TagValueInterner();
  private readonly number = new JsonNumberReader();
  private readonly tags: PointTags = { session: undefined, replica: undefined, op: undefined };
  private lineNumber = 0;
  /** The first malformed line, for an error or a warning that a reader can go and look at. */
  firstBadLine: BadLine | undefined;

  constructor(private readonly sink: PointSink) {}

  /** Parses bytes[start, end): one line without its newline. Call it for every line, empty ones too. */
  parseLine(bytes: Buffer, start: number, end: number): void {
    this.lineNumber++;
    if (end <= start) return;
    if (!startsWithBytes(bytes, start, POINT_PREFIX)) {
      this.parseSlowly(bytes, start, end);
      return;
    }
    this.counts.lines++;
    const metric = this.name.read(bytes, start + POINT_PREFIX.length, end);
    if (metric === MetricCode.skip) {
      // A `{"metric":…}` line of an unwanted metric: Point or not, it carries nothing we read.
      this.counts.pointsSkipped++;
      return;
    }
    if (!this.parseFast(metric, bytes, this.name.end, end)) {
      this.counts.lines--;
      this.parseSlowly(bytes, start, end);
    }
  }

  private parseFast(metric: MetricCode, bytes: Buffer, nameEnd: number, end: number): boolean {
    if (!startsWithBytes(bytes, nameEnd, AFTER_NAME)) return false;
    const timeMs = this.time.parse(bytes, nameEnd + AFTER_NAME.length);
    if (Number.isNaN(timeMs) || !startsWithBytes(bytes, this.time.end, AFTER_TIME)) return false;
    const value = this.number.read(bytes, this.time.end + AFTER_TIME.length);
    if (Number.isNaN(value) || !possibleValue(metric, value)) return false;
    const tags = this.tags;
    tags.session = undefined;
    tags.replica = undefined;
    tags.op = undefined;
    if (needsTags(metric)) {
      if (!startsWithBytes(bytes, this.number.end, AFTER_VALUE)) return false;
      if (!this.readTags(bytes, this.number.end + AFTER_VALUE.length, end)) return false;
    }
    this.counts.pointsKept++;
    this.sink.point(metric, timeMs, value, tags);
    return true;
  }

  /**
   * Reads `session` and `replica` from a flat object of string tags and checks that the object ends
   * the point (`}}}`). Returns false on anything it does not read exactly — a backslash anywhere in a
   * key or value, a non-string value, metadata after the tags — so the line goes the slow way.
   */
  private readTags(bytes: Buffer, start: number, end: number): boolean {
    let index: number;
    if (startsWithBytes(bytes, start, NULL)) {
      index = start + NULL.length;
    } else {
      if (bytes[start] !== OPEN_BRACE) return false;
      index = start + 1;
      if (bytes[index] !== CLOSE_BRACE) {
        for (;;) {
          if (bytes[index] !== QUOTE) return false;
          const keyStart = index + 1;
          const keyEnd = plainStringEnd(bytes, keyStart, end);
          if (keyEnd < 0 || bytes[keyEnd + 1] !== COLON || bytes[keyEnd + 2] !== QUOTE) return false;
          const valueStart = keyEnd + 3;
          const valueEnd = plainStringEnd(bytes, valueStart, end);
          if (valueEnd < 0) return false;
          const keyLength = keyEnd - keyStart;
          if (keyLength === SESSION_KEY.length && startsWithBytes(bytes, keyStart, SESSION_KEY)) {
            this.tags.session = this.values.get(bytes, valueStart, valueEnd);
          } else if (keyLength === REPLICA_KEY.length && startsWithBytes(bytes, keyStart, REPLICA_KEY)) {
            this.tags.replica = this.values.get(bytes, valueStart, valueEnd);
          } else if (keyLength === OP_KEY.length && startsWithBytes(bytes, keyStart, OP_KEY)) {
            this.tags.op = this.values.get(bytes, valueStart, valueEnd);
          }
          index = valueEnd + 1;
          if (bytes[index] === CLOSE_BRACE) break;
          if (bytes[index] !== COMMA) return false;
          index++;
        }
      }
      index++;
    }
    return bytes[index] === CLOSE_BRACE && bytes[index + 1] === CLOSE_BRACE && index + 2 === end;
  }

  private parseSlowly(bytes: Buffer, start: number, end: number): void {
    const line = bytes.toString('utf8', start, end);
    if (line.trim() === '') return;
    this.counts.lines++;
    this.counts.slowPathLines++;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      this.malformed('not JSON');
      return;
    }
    if (!isRecord(parsed)) {
      this.malformed('not a JSON object');
      return;
    }
    const data = parsed.data;
    if (parsed.type === 'Metric' && isRecord(data) && typeof data.name === 'string') {
      this.counts.metricDefinitions++;
      if (typeof data.type === 'string') this.metricTypes.set(data.name, data.type);
      return;
    }
    if (parsed.type !== 'Point' || typeof parsed.metric !== 'string' || !isRecord(data)) {
      this.malformed('neither a k6 Metric nor a k6 Point line');
      return;
    }
    const metric = metricCodeOf(parsed.metric);
    if (metric === MetricCode.skip) {
      this.counts.pointsSkipped++;
      return;
    }
    const timeMs = typeof data.time === 'string' ? this.time.parseText(data.time) : Number.NaN;
    if (Number.isNaN(timeMs)) {
      this.malformed(`${parsed.metric}: time ${JSON.stringify(data.time)} is not an RFC 3339 time`);
      return;
    }
    if (typeof data.value !== 'number' || !possibleValue(metric, data.value)) {
      this.malformed(`${parsed.metric}: value ${JSON.stringify(data.value)} is not possible for this metric`);
      return;
    }
    // Tags are read for the same metrics as on the fast path, so both paths give the same points.
    const tags = needsTags(metric) && isRecord(data.tags) ? data.tags : {};
    const session = tags[TAG_SESSION];
    const replica = tags[TAG_REPLICA];
    this.tags.session = typeof session === 'string' ? session : undefined;
    this.tags.replica = typeof replica === 'string' ? replica : undefined;
    const op = tags[TAG_OP];
    this.tags.op = typeof op === 'string' ? op : undefined;
    this.counts.pointsKept++;
    this.sink.point(metric, timeMs, data.value, this.tags);
  }

  private malformed(reason: string): void {
    this.counts.malformedLines++;
    this.firstBadLine ??= { line: this.lineNumber, reason };
  }
}

/**
 * Values a k6 engine can write: every read metric is finite; counts and durations are not negative;
 * http_req_failed is a rate point, 0 or 1. The bank's figures are amounts and may have any sign.
 */
function possibleValue(metric: MetricCode, value: number): boolean {
  if (!Number.isFinite(value)) return false;
  if (metric === MetricCode.httpReqFailed) return value === 0 || value === 1;
  return metric > MetricCode.sessionLost || value >= 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Index of the quote that closes a JSON string starting at `start`, or -1 if it holds a backslash. */
function plainStringEnd(bytes: Uint8Array, start: number, end: number): number {
  for (let index = start; index < end; index++) {
    const byte = bytes[index];
    if (byte === QUOTE) return index;
    if (byte === BACKSLASH) return -1;
  }
  return -1;
}
