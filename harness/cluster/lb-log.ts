import type { LogLine } from '../docker/runtime.ts';

/** A server state change as HAProxy logs it, with Docker's timestamp of the line. */
export interface LbStateEvent {
  time: number;
  slot: string;
  state: 'up' | 'down' | 'maint' | 'address';
  /** For `address`: the slot's new address from DNS (empty when it lost it). */
  address?: string;
  reason: string;
}

// "Server app/app1 is UP", "Server app/app1 ('app') is UP/READY (resolves again)", "… is going DOWN for maintenance …"
const STATE_LINE = /Server [^/\s]+\/(\S+)(?: \('[^']*'\))? (?:is (UP|DOWN)|is going DOWN for maintenance|was DOWN and now enters maintenance)([^\n]*)/;
const ADDRESS_LINE = /[^/\s]+\/(\S+) changed its IP from (\S*) to (\S*)/;

/**
 * HAProxy writes each state change to both its log (stdout) and its stderr: the same event is kept
 * once per slot, state and second.
 */
export function parseLbStateEvents(lines: readonly LogLine[]): LbStateEvent[] {
  const events: LbStateEvent[] = [];
  const seen = new Set<string>();
  for (const line of lines) {
    const time = Date.parse(line.timestamp);
    const state = STATE_LINE.exec(line.text);
    const address = ADDRESS_LINE.exec(line.text);
    let event: LbStateEvent | undefined;
    if (state?.[1]) {
      const kind = state[2] === 'UP' ? 'up' : state[2] === 'DOWN' ? 'down' : 'maint';
      event = { time, slot: state[1], state: kind, reason: (state[3] ?? '').replace(/^,\s*/, '').trim() };
    } else if (address?.[1]) {
      event = { time, slot: address[1], state: 'address', address: address[3] ?? '', reason: 'DNS' };
    }
    if (!event) continue;
    const key = `${event.slot}|${event.state}|${event.address ?? ''}|${Math.floor(time / 1000)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    events.push(event);
  }
  return events.sort((a, b) => a.time - b.time);
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

export function parseLbAccessLog(lines: readonly LogLine[]): LbAccessRecord[] {
  const records: LbAccessRecord[] = [];
  for (const line of lines) {
    if (!line.text.startsWith('{"type":"access"')) continue;
    try {
      const raw = JSON.parse(line.text) as Record<string, unknown>;
      records.push({
        time: Date.parse(line.timestamp),
        server: String(raw.server),
        status: Number(raw.status),
        method: String(raw.method),
        path: String(raw.path),
        totalMs: Number(raw.Ta),
        termination: String(raw.termination),
      });
    } catch {
      // A line cut by the log size limit is not a record.
    }
  }
  return records;
}
