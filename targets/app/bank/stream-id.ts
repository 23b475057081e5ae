/** Redis stream entry ids ("<ms>-<seq>") compared as numbers; string order is wrong ("9-0" > "10-0"). */

export const STREAM_START = '0-0';

const ID = /^(\d+)-(\d+)$/;

export function isStreamId(value: string): boolean {
  return ID.test(value);
}

/** Negative when a comes first, 0 when equal, positive when a comes after b. */
export function compareStreamIds(a: string, b: string): number {
  const [am, as] = parts(a);
  const [bm, bs] = parts(b);
  if (am !== bm) return am < bm ? -1 : 1;
  if (as !== bs) return as < bs ? -1 : 1;
  return 0;
}

function parts(id: string): [bigint, bigint] {
  const match = ID.exec(id);
  if (match === null) throw new Error(`not a stream id: ${JSON.stringify(id)}`);
  return [BigInt(match[1] ?? '0'), BigInt(match[2] ?? '0')];
}
