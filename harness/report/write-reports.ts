import { runFiles, writeTextAtomically } from '../core/run-files/index.ts';
import { ALL_REPORTS, RENDERERS } from './registry.ts';
import type { ReportInput, ReportName } from './renderer.ts';

/**
 * Renders the named reports and writes them into the run directory, each through a temporary file
 * and a rename so that a reader never sees half a report. Returns the paths written.
 */
export async function writeReports(runDir: string, input: ReportInput, names: readonly ReportName[] = ALL_REPORTS): Promise<string[]> {
  const files = runFiles(runDir);
  const written: string[] = [];
  for (const name of names) {
    const renderer = RENDERERS[name];
    const file = renderer.fileName(files);
    await writeTextAtomically(file, await renderer.render(input));
    written.push(file);
  }
  return written;
}
