import { beforeAll, describe, expect, it } from 'vitest';
import { escapeHtml } from '../escape.ts';
import { cli, fixtureInput, fixtureResults } from '../testing/fixtures.ts';
import { renderHtml } from './render-html.ts';

/** The sections of the page between `<section id="…">` and `</section>`. */
function section(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}">`);
  expect(start, `section ${id}`).toBeGreaterThanOrEqual(0);
  return html.slice(start, html.indexOf('</section>', start));
}

describe('report.html', () => {
  const input = fixtureInput([cli('*', 'error_rate', 0.0004), cli('stateless', 'recovery_ms', 1500)]);
  let html = '';
  beforeAll(async () => {
    html = await renderHtml(input);
  });

  it('is one self-contained file: nothing that could fetch, no script', () => {
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;`);
    // url(#…) is a clip path inside the same SVG; any other url( could fetch.
    expect(html).not.toMatch(/<script|<link|<iframe|<img|<object|<embed|@import|url\((?!#)/i);
    expect(html).not.toMatch(/\s(src|href|xlink:href|srcset|action|poster)\s*=/i);
  });

  it('marks the fault windows, labelled, on every time chart of every architecture', () => {
    const overTime = section(html, 'over-time');
    const charts = overTime.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    expect(charts).toHaveLength(3 * input.results.trials.length);
    // Panels of one row, stateful then stateless: the busiest replica was app-2 in one, app-1 in the other.
    charts.forEach((chart, index) => {
      expect(chart).toContain(index % 2 === 0 ? '#0 kill app-2' : '#0 kill app-1');
      expect(chart).toContain('#1 scale-out app-4, app-5');
      // The shaded window and the dashed start line.
      expect(chart).toMatch(/fill="rgba?\(220,\s?38,\s?38/);
    });
    // Slow requests of the fault windows are drawn on the throughput charts.
    expect(charts[0]).toContain('slow requests');
  });

  it('has the other charts: session loss, detection, recovery, scale-out', () => {
    const perFault = section(html, 'per-fault');
    expect(perFault.match(/<svg/g)).toHaveLength(3);
    for (const series of ['open at the fault', 'pinned to the target', 'lost']) expect(perFault).toContain(series);
    // What detected each kill is written above its bar.
    expect(perFault).toContain('>289<');
    expect(perFault).toContain('DNS');
    const scaleOut = section(html, 'scale-out');
    expect(scaleOut.match(/<svg/g)).toHaveLength(1);
    for (const phase of ['created', 'started', 'ready', 'in LB', 'first request', 'fair share']) expect(scaleOut).toContain(phase);
  });

  it('has the headline table with the better value marked', () => {
    const headline = section(html, 'headline');
    expect(headline).toMatch(/<td class="num best">0\.0267 %<span class="better">better<\/span><\/td>/);
    expect(headline).toMatch(/<td class="num best">170 ms<span class="better">better<\/span><\/td>/);
    expect(headline).toContain('Session loss rate: lost / open at the fault (worst fault)');
  });

  it('shows the verdict with failed thresholds first', () => {
    const thresholds = section(html, 'thresholds');
    expect(html).toContain('✘ Failed: 1 of 3 thresholds');
    const rows = thresholds.match(/<tr class="[^"]*">/g) ?? [];
    expect(rows[0]).toBe('<tr class="fail">');
    expect(thresholds).toContain('error_rate (trial) ≤ 0.04 %');
  });

  it('has the glossary with every definition from results.json', () => {
    const glossary = section(html, 'glossary');
    for (const entry of input.results.glossary) {
      expect(glossary).toContain(`<dt>${escapeHtml(entry.term)}</dt><dd>${escapeHtml(entry.definition)}</dd>`);
    }
  });

  it('has the run metadata', () => {
    const metadata = section(html, 'metadata');
    for (const fact of ['r20261201-232744-30ac', 'default comparison', '42', 'builtin-0.1.0 (k6 v0.49.0 compatible)', 'harness-app:b2fc22731418', 'harness-base:d5dccc81ea69', 'docker 20.10.24+dfsg1', 'node v20.20.2']) {
      expect(metadata).toContain(escapeHtml(fact));
    }
  });

  it('renders the same bytes for the same input, apart from ECharts’ per-chart ids', async () => {
    const again = await renderHtml(input);
    const normalise = (text: string) => text.replace(/zr\d+-c\d+|zr\d+-cls-\d+|zr\d+/g, 'zr');
    expect(normalise(again)).toBe(normalise(html));
  });

  it('renders a single trial without faults or scale-out, saying so instead of drawing empty charts', async () => {
    const results = fixtureResults();
    results.trials = results.trials.slice(0, 1);
    for (const trial of results.trials) {
      trial.faults = [];
      trial.scaleOut = [];
    }
    const page = await renderHtml(fixtureInput([], results));
    expect(section(page, 'over-time').match(/<svg/g)).toHaveLength(3);
    expect(section(page, 'over-time')).not.toContain('#0 kill');
    expect(section(page, 'faults')).toContain('No fault was executed.');
    expect(section(page, 'per-fault')).toContain('No fault could cost sessions.');
    expect(section(page, 'scale-out')).toContain('No replica was added.');
    expect(page).toContain('No thresholds set');
  });
});
