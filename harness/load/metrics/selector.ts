import { K6ConfigError } from './errors.ts';

/** A threshold's target: a metric, or a submetric `name{key:value,…}` of it. */
export interface MetricSelector {
  metric: string;
  submetric: SubmetricSelector | undefined;
}

export interface SubmetricSelector {
  /** The canonical submetric name k6 reports: `parent{suffix}`. */
  name: string;
  /** The text between the braces, trimmed, as written. */
  suffix: string;
  /** The tags a sample must carry (all of them, with these values) to count in the submetric. */
  tags: Readonly<Record<string, string>>;
}

/**
 * Parses a thresholds key with k6's rules: k6's metric-name validation (ParseMetricName: balanced
 * braces at the end, every `key:value` with a value), then its submetric parsing (AddSubmetric: keys
 * and values trimmed of spaces and quotes).
 */
export function parseMetricSelector(key: string): MetricSelector {
  const open = key.indexOf('{');
  const close = key.lastIndexOf('}');
  if (open === -1 && close === -1) return { metric: key, submetric: undefined };
  const bad = (reason: string): K6ConfigError =>
    new K6ConfigError(
      `invalid metric "${key}" in thresholds: ${reason}`,
      'a submetric is written metric{tag:value} or metric{tag1:value1,tag2:value2}',
    );
  if (open === -1 || close === -1) throw bad('unmatched opening or closing curly brace');
  if (close < open) throw bad('the closing curly brace appears before the opening one');
  if (close !== key.length - 1) throw bad('the closing curly brace must be the last character');

  const inner = key.slice(open + 1, close);
  for (const part of inner.split(',')) {
    const colon = part.indexOf(':');
    if (colon === -1 || part.slice(colon + 1) === '') throw bad(`tag expression "${part}" is malformed`);
  }
  const suffix = inner.trim();
  if (suffix === '') throw bad('the submetric criteria cannot be empty');
  const tags: Record<string, string> = {};
  for (const part of suffix.split(',')) {
    if (part === '') continue;
    const colon = part.indexOf(':');
    const tagKey = trimQuotes(part.slice(0, colon));
    tags[tagKey] = trimQuotes(part.slice(colon + 1));
  }
  const metric = key.slice(0, open);
  return { metric, submetric: { name: `${metric}{${suffix}}`, suffix, tags } };
}

function trimQuotes(text: string): string {
  return text.trim().replace(/^["']+|["']+$/g, '');
}

/** Whether two submetric tag sets are the same (k6 reuses the first submetric for an equal set). */
export function sameTags(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && b[key] === a[key]);
}
