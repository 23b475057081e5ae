import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORTS_DIR } from '../core/paths.ts';
import { renderHtml } from './html/render-html.ts';
import type { ReportInput } from './renderer.ts';
import { cli, fixtureInput, HOSTILE, hostileInput } from './testing/fixtures.ts';

/**
 * report.html in a real browser (Debian's chromium, driven by playwright-core): it loads offline
 * with no console error, no page error and no network request, and shows its charts, fault marks
 * and glossary. Skips only when /usr/bin/chromium is missing (`apt-get install chromium`);
 * HARNESS_REQUIRE_CHROMIUM=1 turns that into a failure, as CI sets it.
 */
const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const SKIP_REASON = `${CHROMIUM} not found: apt-get install chromium (set HARNESS_REQUIRE_CHROMIUM=1 to fail instead of skipping)`;
export const SCREENSHOT = path.join(REPORTS_DIR, 'screenshots', 'report.png');

if (!available && process.env.HARNESS_REQUIRE_CHROMIUM === '1') {
  throw new Error(`HARNESS_REQUIRE_CHROMIUM=1 but ${SKIP_REASON}`);
}
if (!available) console.warn(`report.browser.test.ts skipped: ${SKIP_REASON}`);

interface Loaded {
  page: Page;
  consoleErrors: string[];
  pageErrors: string[];
  /** Every request the page made, the document itself included. */
  requests: string[];
  dialogs: string[];
  file: string;
}

describe.skipIf(!available)('report.html in headless chromium', () => {
  let context: BrowserContext;
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'harness-report-browser-'));

  beforeAll(async () => {
    context = await chromium.launchPersistentContext(path.join(workDir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1440, height: 900 },
      offline: true,
    });
    // Anything that leaves the file is refused (and recorded by the request listener below).
    await context.route(/^(?!file:)/, (route) => route.abort('blockedbyclient'));
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  async function load(input: ReportInput, name: string): Promise<Loaded> {
    const file = path.join(workDir, `${name}.html`);
    writeFileSync(file, await renderHtml(input));
    const page = await context.newPage();
    const loaded: Loaded = { page, consoleErrors: [], pageErrors: [], requests: [], dialogs: [], file };
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') loaded.consoleErrors.push(`${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => loaded.pageErrors.push(error.message));
    page.on('request', (request) => loaded.requests.push(request.url()));
    page.on('dialog', (dialog) => {
      loaded.dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    return loaded;
  }

  it('loads offline with no console error, no page error and no network request; shows charts, fault marks and the glossary', async () => {
    const input = fixtureInput([cli('*', 'error_rate', 0.0004), cli('stateless', 'recovery_ms', 1000), cli('*', 'detection_ms', 200)]);
    const { page, consoleErrors, pageErrors, requests, file } = await load(input, 'report');

    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(requests).toEqual([pathToFileURL(file).href]);

    // Locators rather than page.evaluate: the project's TypeScript has no DOM library.
    const timeCharts = page.locator('#over-time .chart svg');
    const chartTexts = await timeCharts.allTextContents();
    expect(await page.locator('svg').count()).toBeGreaterThanOrEqual(10);
    expect(chartTexts).toHaveLength(6);
    // Panels of one row, stateful then stateless: the busiest replica was app-2 in one, app-1 in the other.
    chartTexts.forEach((text, index) => {
      expect(text).toContain(index % 2 === 0 ? '#0 kill app-2' : '#0 kill app-1');
      expect(text).toContain('#1 scale-out app-4, app-5');
    });
    expect((await timeCharts.first().boundingBox())?.width ?? 0).toBeGreaterThan(500);
    expect(await page.locator('#glossary dt').allTextContents()).toEqual(input.results.glossary.map((entry) => entry.term));
    expect(await page.locator('#headline td.best').count()).toBeGreaterThan(5);
    expect(await page.locator('#thresholds tr.fail, #thresholds tr.missing').count()).toBe(3);
    expect(await page.locator('script').count()).toBe(0);

    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    console.log(`report screenshot: ${SCREENSHOT}`);
    expect(existsSync(SCREENSHOT)).toBe(true);
  }, 60_000);

  it('fits every table in a 1280 px window, without horizontal scrolling', async () => {
    const { page } = await load(fixtureInput([cli('*', 'error_rate', 0.0004), cli('stateless', 'recovery_ms', 1000)]), 'narrow');
    await page.setViewportSize({ width: 1280, height: 900 });
    // A section spans the page's content box; a table wider than its .scroll box extends past its edge.
    const content = await page.locator('section#headline').boundingBox();
    const edge = (content?.x ?? 0) + (content?.width ?? 0);
    expect(edge).toBeLessThanOrEqual(1280);
    const tables = page.locator('table');
    expect(await tables.count()).toBeGreaterThanOrEqual(5);
    for (const table of await tables.all()) {
      const box = await table.boundingBox();
      expect((box?.x ?? 0) + (box?.width ?? Infinity)).toBeLessThanOrEqual(edge + 0.5);
    }
  }, 60_000);

  it('shows hostile names as text: nothing runs, nothing is injected', async () => {
    const { page, consoleErrors, pageErrors, requests, dialogs, file } = await load(hostileInput(), 'hostile');
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([pathToFileURL(file).href]);
    expect(await page.locator('script, img, iframe, svg[onload]').count()).toBe(0);
    expect(await page.locator('h1').textContent()).toBe(HOSTILE.scenario);
    const legends = await page.locator('#over-time svg text').allTextContents();
    expect(legends).toContain(HOSTILE.replica);
  }, 60_000);
});
