import { randomBytes } from 'node:crypto';

/** Sortable and short: `r20261128-213005-3fa2`. Safe in Docker names and file paths. */
export function newRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `r${stamp}-${randomBytes(2).toString('hex')}`;
}

export const RUN_ID_PATTERN = /^r\d{8}-\d{6}-[0-9a-f]{4}$/;
