import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeMarkdown, escapeXml } from './escape.ts';
import { renderHtml } from './html/render-html.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import { HOSTILE, hostileInput } from './testing/fixtures.ts';

describe('escaping', () => {
  it('escapes HTML text and attribute values', () => {
    expect(escapeHtml(`<script>alert("x")</script> '&'`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &#39;&amp;&#39;');
  });

  it('escapes XML and replaces characters XML 1.0 cannot hold', () => {
    expect(escapeXml("a\u0001b\u0000c<\uD800'")).toBe('a\uFFFDb\uFFFDc&lt;\uFFFD&apos;');
    expect(escapeXml('tab\tnew\nline 😀')).toBe('tab\tnew\nline 😀');
  });

  it('escapes Markdown so a value stays literal text on one line', () => {
    expect(escapeMarkdown('a | b *c* _d_ `e` [f](g) <h>\nnext')).toBe('a \\| b \\*c\\* \\_d\\_ \\`e\\` \\[f\\](g) &lt;h&gt; next');
  });
});

// Markup a renderer would emit if it forgot to escape one of the HOSTILE strings.
const RAW_MARKUP = ['<script', '<img', '<svg onload', '<iframe'];

describe('hostile names in every report', () => {
  const input = hostileInput();

  it('report.html shows them only escaped, in the page and inside the SVG charts', async () => {
    const html = await renderHtml(input);
    for (const markup of RAW_MARKUP) expect(html).not.toContain(markup);
    expect(html).toContain('&lt;script&gt;alert(&quot;replica&quot;)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &quot;&#39;&amp;');
    // The replica name is a legend entry of the share charts: ECharts' SVG escapes it too.
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs.length).toBeGreaterThan(5);
    expect(svgs.some((svg) => svg.includes('&lt;script&gt;alert(&quot;replica&quot;)'))).toBe(true);
  });

  it('summary.md shows them only escaped', () => {
    const md = renderMarkdown(input);
    for (const markup of RAW_MARKUP) expect(md).not.toContain(markup);
    expect(md).toContain('&lt;img src=x onerror=alert(1)&gt;');
    // A pipe inside a name must not split a table row: every row has as many cells as its header.
    const cells = (line: string): number => line.replaceAll('\\|', '').split('|').length;
    let header = 0;
    for (const line of md.split('\n')) {
      if (!line.startsWith('|')) header = 0;
      else if (header === 0) header = cells(line);
      else expect(cells(line)).toBe(header);
    }
  });

  it('junit.xml stays valid XML and gives the names back exactly', () => {
    const xml = renderJunit(input);
    expect(XMLValidator.validate(xml)).toBe(true);
    for (const markup of RAW_MARKUP) expect(xml).not.toContain(markup);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name) }).parse(xml) as {
      testsuites: { testsuite: Array<{ name: string; properties: { property: Array<{ name: string; value: string }> }; testcase: Array<{ classname: string }> }> };
    };
    const names = parsed.testsuites.testsuite.map((suite) => suite.name);
    expect(names).toContain(HOSTILE.architecture);
    const scenario = parsed.testsuites.testsuite[0]?.properties.property.find((property) => property.name === 'scenario');
    expect(scenario?.value).toBe(HOSTILE.scenario.replace('\u0001', '\uFFFD'));
  });
});
