/**
 * Escaping for each output format. Every string a report shows goes through one of these (or the
 * `html` template, which calls escapeHtml): scenario names, replica names and error messages come
 * from files a user or a container wrote.
 */

const HTML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text and attribute values in HTML (quotes included, so it is safe in either). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ENTITIES[char] ?? char);
}

// XML 1.0 allows tab, LF, CR and U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF; anything else
// (other control characters, lone surrogates) makes the whole file unparseable, so it is replaced.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text and attribute values in XML: escaped, and characters XML cannot hold replaced by U+FFFD. */
export function escapeXml(text: string): string {
  // &apos; rather than &#39;: XML's own entity, which every XML reader decodes.
  return escapeHtml(text.replace(NOT_XML_CHAR, '\uFFFD')).replaceAll('&#39;', '&apos;');
}

/**
 * Inline Markdown (GitHub flavour) that must render as the literal text: HTML is escaped as
 * entities (GitHub renders raw HTML), emphasis, code, link and table punctuation gets a backslash,
 * and line breaks become spaces so a value cannot end a table row. Values are always written
 * mid-line (after "| " or "- "), so line-start syntax (headings, lists) cannot be triggered.
 */
export function escapeMarkdown(text: string): string {
  return escapeHtml(text.replace(/\r?\n|\r/g, ' ')).replace(/[\\`*_[\]|~]/g, (char) => `\\${char}`);
}
