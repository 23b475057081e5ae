/**
 * HAProxy's log as the harness records it: every line HAProxy wrote to its event ring, in order,
 * with HAProxy's own timestamp (microseconds). In lb.log each is `<ISO 8601 UTC, µs> <message>`.
 */

/** One log line: epoch milliseconds (with the microseconds as a fraction) and the message. */
export interface LbLogLine {
  time: number;
  text: string;
}

/** A server state change as HAProxy logs it, at HAProxy's own time. */
export interface LbStateEvent {
  time: number;
  slot: string;
  state: 'up' | 'down' | 'maint' | 'address';
  /** For `address`: the slot's new address from DNS (empty when it lost it). */
  address?: string;
  reason: string;
}

// RFC 5424 as HAProxy writes it: `<134>1 2026-12-01T23:38:25.329570+00:00 - haproxy 8 - - message`.
const RFC5424 = /^<\d+>1 (\S+) \S+ \S+ \S+ \S+ (?:-|\[.*?\]) ?(.*)$/;
const TIMESTAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/;

/** Epoch ms, keeping the digits below the millisecond that Date.parse drops. */
export function parseTimestamp(text: string): number | undefined {
  const match = TIMESTAMP.exec(text);
  if (!match) return undefined;
  const seconds = Date.parse(`${match[1]}${match[3]}`);
  if (Number.isNaN(seconds)) return undefined;
  const fraction = match[2] ?? '';
  return seconds + (fraction === '' ? 0 : Number(`0.${fraction}`) * 1000);
}

/** `2026-12-01T23:38:25.329570Z`: UTC with microseconds, the time as HAProxy wrote it. */
export function formatTimestamp(time: number): string {
  const ms = Math.floor(time);
  const micros = Math.round((time - ms) * 1000);
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, -1)}${String(Math.min(micros, 999)).padStart(3, '0')}Z`;
}

/** One line of `show events <ring>`; undefined for anything else (an empty line, a CLI message). */
export function parseRingLine(raw: string): LbLogLine | undefined {
  const match = RFC5424.exec(raw);
  const time = match?.[1] === undefined ? undefined : parseTimestamp(match[1]);
  if (time === undefined) return undefined;
  return { time, text: match?.[2] ?? '' };
}

export function formatLbLogLine(line: LbLogLine): string {
  return `${formatTimestamp(line.time)} ${line.text}`;
}

/** lb.log back into lines (for readers of a run directory and tests). */
export function parseLbLog(text: string): LbLogLine[] {
  const lines: LbLogLine[] = [];
  for (const raw of text.split('\n')) {
    const space = raw.indexOf(' ');
    const time = space < 0 ? undefined : parseTimestamp(raw.slice(0, space));
    if (time !== undefined) lines.push({ time, text: raw.slice(space + 1) });
  }
  return lines;
}

// "Server app/app1 is UP", "Server app/app1 ('app') is UP/READY (resolves again)", "… is going DOWN for maintenance …"
const STATE_LINE = /^Server [^/\s]+\/(\S+)(?: \('[^']*'\))? (?:is (UP|DOWN)|is going DOWN for maintenance|was DOWN and now enters maintenance)(.*)$/;
const ADDRESS_LINE = /^[^/\s]+\/(\S+) changed its IP from (\S*) to (\S*)/;

/** The server state changes among the log lines, in the order HAProxy logged them. */
export function parseLbStateEvents(lines: readonly LbLogLine[]): LbStateEvent[] {
  const events: LbStateEvent[] = [];
  for (const line of lines) {
    const event = parseStateEvent(line);
    if (event) events.push(event);
  }
  return events;
}

export function parseStateEvent(line: LbLogLine): LbStateEvent | undefined {
  const state = STATE_LINE.exec(line.text);
  if (state?.[1]) {
    const kind = state[2] === 'UP' ? 'up' : state[2] === 'DOWN' ? 'down' : 'maint';
    return { time: line.time, slot: state[1], state: kind, reason: (state[3] ?? '').replace(/^,\s*/, '').trim() };
  }
  const address = ADDRESS_LINE.exec(line.text);
  if (address?.[1]) return { time: line.time, slot: address[1], state: 'address', address: address[3] ?? '', reason: 'DNS' };
  return undefined;
}

/** One request as the access log records it (the JSON log-format of targets/lb). */
export interface LbAccessRecord {
  time: number;
  server: string;
  status: number;
  method: string;
  path: string;
  totalMs: number;
  termination: string;
}

export const isAccessLine = (text: string): boolean => text.startsWith('{"type":"access"');

export function parseLbAccessLog(lines: readonly LbLogLine[]): LbAccessRecord[] {
  const records: LbAccessRecord[] = [];
  for (const line of lines) {
    if (!isAccessLine(line.text)) continue;
    try {
      const raw = JSON.parse(line.text) as Record<string, unknown>;
      records.push({
        time: line.time,
        server: String(raw.server),
        status: Number(raw.status),
        method: String(raw.method),
        path: String(raw.path),
        totalMs: Number(raw.Ta),
        termination: String(raw.termination),
      });
    } catch {
      // A line cut by the ring's maximum length is not a record.
    }
  }
  return records;
}
