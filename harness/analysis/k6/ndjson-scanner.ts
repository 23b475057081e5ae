import { open, type FileHandle } from 'node:fs/promises';

/** Called for each line bytes[start, end) (newline and a trailing CR excluded). */
export type LineVisitor = (bytes: Buffer, start: number, end: number) => void;

export interface ScanStats {
  bytes: number;
}

const DEFAULT_CHUNK_BYTES = 4 << 20;
const NEWLINE = 10;
const CARRIAGE_RETURN = 13;

/**
 * Reads a file of lines in fixed-size chunks and hands each complete line to `visit` as bytes, so
 * memory is two chunks whatever the file's length, and nothing is decoded that the parser does not
 * ask for. Two buffers take turns: while the lines of one are visited, the next chunk is already
 * being read into the other (behind the unfinished last line, copied there first), so reading and
 * parsing overlap. A line longer than a chunk doubles the buffers, which are then bounded by the
 * longest line.
 */
export async function scanLines(file: string, visit: LineVisitor, chunkBytes = DEFAULT_CHUNK_BYTES): Promise<ScanStats> {
  const handle = await open(file, 'r');
  let current = Buffer.allocUnsafe(chunkBytes);
  let next = Buffer.allocUnsafe(chunkBytes);
  let bytes = 0;
  try {
    let filled = await readInto(handle, current, 0);
    bytes += filled;
    while (filled > 0) {
      const lastNewline = current.lastIndexOf(NEWLINE, filled - 1);
      if (lastNewline < 0 && filled === current.length) {
        // One line fills the buffer: grow both and read on behind it.
        const larger = Buffer.allocUnsafe(current.length * 2);
        current.copy(larger, 0, 0, filled);
        current = larger;
        next = Buffer.allocUnsafe(current.length);
        const read = await readInto(handle, current, filled);
        if (read === 0) break;
        bytes += read;
        filled += read;
        continue;
      }
      const tailStart = lastNewline + 1;
      const tailLength = filled - tailStart;
      current.copy(next, 0, tailStart, filled);
      const pending = readInto(handle, next, tailLength);
      visitLines(current, tailStart, visit);
      const read = await pending;
      if (read === 0) {
        if (tailLength > 0) visit(next, 0, trimCarriageReturn(next, 0, tailLength));
        break;
      }
      bytes += read;
      filled = tailLength + read;
      [current, next] = [next, current];
    }
  } finally {
    await handle.close();
  }
  return { bytes };
}

/** Fills buffer[offset…] from the file's current position; returns the bytes read (0 at the end). */
async function readInto(handle: FileHandle, buffer: Buffer, offset: number): Promise<number> {
  const { bytesRead } = await handle.read(buffer, offset, buffer.length - offset, null);
  return bytesRead;
}

/** Visits the complete lines in buffer[0, end); `end` is just after a newline (or 0). */
function visitLines(buffer: Buffer, end: number, visit: LineVisitor): void {
  let start = 0;
  while (start < end) {
    const newline = buffer.indexOf(NEWLINE, start);
    visit(buffer, start, trimCarriageReturn(buffer, start, newline));
    start = newline + 1;
  }
}

function trimCarriageReturn(buffer: Buffer, start: number, end: number): number {
  return end > start && buffer[end - 1] === CARRIAGE_RETURN ? end - 1 : end;
}
