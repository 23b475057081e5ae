import { escapeHtml } from '../escape.ts';

/** HTML that is already safe: produced by the `html` template or trusted by a caller (`trustedHtml`). */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = SafeHtml | string | number | null | undefined | false | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/**
 * A template tag that escapes every interpolated value unless it is SafeHtml, so the default is
 * safe and a missed escape has to be written on purpose.
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** Marks generated markup (ECharts' SVG, the stylesheet) as safe. Never pass user text here. */
export function trustedHtml(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
