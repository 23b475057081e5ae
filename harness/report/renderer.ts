import type { Results } from '../analysis/index.ts';
import type { Verdict } from '../verdict/index.ts';
import type { RunInfo } from './run-info.ts';

/** Everything a report is rendered from: results.json, the verdict and the manifest's metadata. */
export interface ReportInput {
  readonly results: Results;
  readonly verdict: Verdict;
  readonly run: RunInfo;
}

export type ReportName = 'html' | 'markdown' | 'junit';

/**
 * One output format. A renderer is a pure function of its input — it reads no file and no clock —
 * so the same results.json always gives the same report, and tests need no disk. It may be async
 * so that a heavy dependency (ECharts for the HTML) is loaded only when that format is rendered.
 */
export interface ReportRenderer {
  readonly name: ReportName;
  /** The file it is written to, inside the run directory (harness/core/run-files/layout.ts). */
  readonly fileName: (files: ReportFiles) => string;
  render(input: ReportInput): string | Promise<string>;
}

export interface ReportFiles {
  reportHtml: string;
  summaryMd: string;
  junitXml: string;
}
