import { describe, expect, it } from 'vitest';
import { demuxLogs } from './docker-runtime.ts';

function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe('demuxLogs', () => {
  it('splits Docker log frames into timestamped lines per stream', () => {
    const buffer = Buffer.concat([
      frame(1, '2026-11-28T21:00:00.000000001Z {"event":"ready"}\n'),
      frame(2, '2026-11-28T21:00:00.000000002Z warning one\n2026-11-28T21:00:00.000000003Z warning two\n'),
    ]);
    expect(demuxLogs(buffer)).toEqual([
      { timestamp: '2026-11-28T21:00:00.000000001Z', stream: 'stdout', text: '{"event":"ready"}' },
      { timestamp: '2026-11-28T21:00:00.000000002Z', stream: 'stderr', text: 'warning one' },
      { timestamp: '2026-11-28T21:00:00.000000003Z', stream: 'stderr', text: 'warning two' },
    ]);
  });
});
