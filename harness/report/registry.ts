import { htmlRenderer } from './html/render-html.ts';
import { junitRenderer } from './junit.ts';
import { markdownRenderer } from './markdown.ts';
import type { ReportName, ReportRenderer } from './renderer.ts';

/** Every output format by name; `harness report` writes all, `harness gate` the CI ones. */
export const RENDERERS: Readonly<Record<ReportName, ReportRenderer>> = {
  html: htmlRenderer,
  markdown: markdownRenderer,
  junit: junitRenderer,
};

export const ALL_REPORTS: readonly ReportName[] = ['html', 'markdown', 'junit'];
/** What CI reads: the gate writes these without paying for the charts. */
export const CI_REPORTS: readonly ReportName[] = ['markdown', 'junit'];
