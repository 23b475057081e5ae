/** The end-of-test summary: handleSummary(data) when the script exports it, else k6's text summary. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { defaultStdoutSummary } from '../metrics/text-summary.ts';
import { logSummaryFailure } from './runtime/script-errors.ts';
import type { Vu } from './runtime/vu.ts';
import { jsonCopy } from './setup-data.ts';

type SummaryData = Parameters<typeof defaultStdoutSummary>[0];

/**
 * What handleSummary returns goes where its keys say: `stdout`, `stderr`, or a file relative to cwd.
 * A handleSummary that throws is logged, and k6's text summary is printed instead.
 */
export async function writeSummary(vu: Vu, summary: unknown, cwd: string, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Promise<void> {
  const handle = vu.exports['handleSummary'];
  if (typeof handle !== 'function') {
    stdout.write(defaultStdoutSummary(summary as SummaryData, false));
    return;
  }
  vu.phase = 'summary';
  let result: unknown;
  try {
    result = await (handle as (d: unknown) => unknown)(jsonCopy(summary));
  } catch (error) {
    logSummaryFailure(vu, error);
    stdout.write(defaultStdoutSummary(summary as SummaryData, false));
    return;
  }
  if (!result || typeof result !== 'object') return;
  for (const [name, content] of Object.entries(result as Record<string, unknown>)) {
    const data = content instanceof ArrayBuffer ? Buffer.from(content) : String(content);
    if (name === 'stdout') stdout.write(data);
    else if (name === 'stderr') stderr.write(data);
    else {
      const target = path.resolve(cwd, name);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, data);
    }
  }
}
