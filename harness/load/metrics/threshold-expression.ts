import type { MetricType } from '../contract.ts';

export type AggregationMethod = 'value' | 'count' | 'rate' | 'avg' | 'min' | 'med' | 'max' | 'p';
export type ThresholdOperator = '<=' | '<' | '>=' | '>' | '===' | '==' | '!=';

export interface ThresholdExpression {
  source: string;
  method: AggregationMethod;
  /** For `p(N)`: N, in percent. */
  percentile: number | undefined;
  operator: ThresholdOperator;
  value: number;
}

/** The parse failed; `reason` says why, in k6's words. */
export class ThresholdSyntaxError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'ThresholdSyntaxError';
  }
}

// Order matters: k6 scans with a substring split, so longer operators come before their prefixes.
const OPERATORS: readonly ThresholdOperator[] = ['<=', '<', '>=', '>', '===', '==', '!='];
const METHODS: readonly AggregationMethod[] = ['value', 'count', 'rate', 'avg', 'min', 'med', 'max'];
/** Go's strconv.ParseFloat accepts more than this (hex, "inf"); k6's grammar documents only decimals. */
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Aggregation methods k6 allows per metric type (metrics/metric_type.go). */
export const SUPPORTED_METHODS: Readonly<Record<MetricType, readonly AggregationMethod[]>> = {
  counter: ['count', 'rate'],
  gauge: ['value'],
  rate: ['rate'],
  trend: ['avg', 'min', 'med', 'max', 'p'],
};

/**
 * Parses `method operator number` (e.g. `p(99.9)<=1000`, `rate == 0`) as k6 does
 * (metrics/thresholds_parser.go). Throws ThresholdSyntaxError.
 */
export function parseThresholdExpression(source: string): ThresholdExpression {
  let found: { left: string; operator: ThresholdOperator; right: string } | undefined;
  for (const operator of OPERATORS) {
    const at = source.indexOf(operator);
    if (at !== -1) {
      found = { left: source.slice(0, at).trim(), operator, right: source.slice(at + operator.length).trim() };
      break;
    }
  }
  if (found === undefined) {
    throw new ThresholdSyntaxError('malformed threshold expression: expected <method> <operator> <number>, e.g. "p(95)<500"');
  }
  const { method, percentile } = parseMethod(found.left);
  if (!NUMBER.test(found.right)) {
    throw new ThresholdSyntaxError(`the right-hand side "${found.right}" is not a number`);
  }
  return { source, method, percentile, operator: found.operator, value: Number(found.right) };
}

function parseMethod(text: string): { method: AggregationMethod; percentile: number | undefined } {
  const plain = METHODS.find((method) => method === text);
  if (plain !== undefined) return { method: plain, percentile: undefined };
  if (text.startsWith('p(') && text.endsWith(')')) {
    const inner = text.slice(2, -1);
    if (!NUMBER.test(inner)) throw new ThresholdSyntaxError(`malformed percentile value "${inner}"`);
    const percentile = Number(inner);
    if (percentile < 0 || percentile > 100) {
      throw new ThresholdSyntaxError(`percentile ${inner} is outside 0..100`);
    }
    return { method: 'p', percentile };
  }
  throw new ThresholdSyntaxError(
    `unknown aggregation method "${text}"; expected one of value, count, rate, avg, min, med, max, p(N)`,
  );
}

/** Applies the operator; NaN (a rate with no samples) fails every comparison but `!=`, as in Go. */
export function compare(left: number, operator: ThresholdOperator, right: number): boolean {
  switch (operator) {
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    case '>':
      return left > right;
    case '>=':
      return left >= right;
    case '==':
    case '===':
      return left === right;
    case '!=':
      return left !== right;
  }
}
