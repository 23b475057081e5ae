import type { Argv } from 'yargs';
import { InputError } from '../core/errors.ts';
import { parseDuration } from '../scenario/duration.ts';
import { didYouMean } from '../scenario/did-you-mean.ts';
import { MAX_LOAD_MS, SCENARIO_ARCHITECTURES, THRESHOLD_SCOPES } from '../scenario/schema.ts';
import { METRIC_LIST, type MetricInfo } from './metrics.ts';
import type { CliThreshold, ThresholdScope } from './types.ts';

/**
 * Threshold flags: `--max-error-rate stateless=0.01`. Each flag is repeatable; each value is
 *
 *   [ARCH[:SCOPE]=]VALUE
 *
 * ARCH is an architecture or "*" (every architecture; also what a bare VALUE means), SCOPE "trial"
 * (default) or "fault-windows". VALUE is a fraction or a percentage for rates ("0.01", "1%"),
 * milliseconds or a duration for times ("2000", "2s"), a whole number for sessions lost.
 */
export const THRESHOLD_VALUE_SYNTAX = '[ARCH[:SCOPE]=]VALUE';

const ARCH_CHOICES = [...SCENARIO_ARCHITECTURES, '*'] as const;
const quoted = (words: readonly string[]): string => words.map((word) => JSON.stringify(word)).join(', ');

/** The yargs option name of a metric's flag ("max-error-rate"). */
const optionName = (info: MetricInfo): string => info.flag.slice(2);

/**
 * The largest limits a flag takes. Nothing in a trial lasts longer than its load (at most a day), and
 * no count of one run reaches a billion; a larger number is a typo, never a limit.
 */
const MAX_MS = MAX_LOAD_MS;
const MAX_COUNT = 1_000_000_000;

function valueExpected(info: MetricInfo): string {
  switch (info.unit) {
    case 'ratio':
      return 'a fraction from 0 to 1 or a percentage ("0.01", "1%")';
    case 'ms':
      return `milliseconds from 0 to ${MAX_MS} (a day) or a duration ("2000", "2s", "1500ms")`;
    case 'count':
      return `a whole number from 0 to ${MAX_COUNT.toLocaleString('en-US')}`;
  }
}

function parseValue(info: MetricInfo, text: string): number | undefined {
  const number = /^\d+(?:\.\d+)?$/.test(text) ? Number(text) : undefined;
  switch (info.unit) {
    case 'ratio': {
      const percent = /^\d+(?:\.\d+)?%$/.test(text) ? Number(text.slice(0, -1)) / 100 : undefined;
      const value = number ?? percent;
      return value !== undefined && value <= 1 ? value : undefined;
    }
    case 'ms': {
      const ms = number ?? parseDuration(text);
      return ms !== undefined && ms <= MAX_MS ? ms : undefined;
    }
    case 'count':
      return number !== undefined && Number.isInteger(number) && number <= MAX_COUNT ? number : undefined;
  }
}

/** One flag value → a threshold, or an InputError naming the flag, the value and what is allowed. */
export function parseThresholdFlag(info: MetricInfo, text: string): CliThreshold {
  const bad = (allowed: string, hint?: string): InputError =>
    new InputError(info.flag, text, allowed, hint ?? `Write ${info.flag} ${THRESHOLD_VALUE_SYNTAX}, e.g. ${info.flag} ${example(info)}.`);
  const trimmed = text.trim();
  const equals = trimmed.lastIndexOf('=');
  const target = equals < 0 ? '*' : trimmed.slice(0, equals);
  const valueText = equals < 0 ? trimmed : trimmed.slice(equals + 1);
  const [architecture = '', scopeText, ...extra] = target.split(':');
  if (extra.length > 0) throw bad(`${THRESHOLD_VALUE_SYNTAX} with one ":" at most`);
  if (!(ARCH_CHOICES as readonly string[]).includes(architecture)) {
    const guess = didYouMean(architecture, ARCH_CHOICES);
    throw bad(
      `${THRESHOLD_VALUE_SYNTAX} where ARCH is one of ${quoted(ARCH_CHOICES)}`,
      guess !== undefined ? `Did you mean "${guess}"?` : undefined,
    );
  }
  let scope: ThresholdScope = 'trial';
  if (scopeText !== undefined) {
    if (!(THRESHOLD_SCOPES as readonly string[]).includes(scopeText)) throw bad(`${THRESHOLD_VALUE_SYNTAX} where SCOPE is one of ${quoted(THRESHOLD_SCOPES)}`);
    scope = scopeText as ThresholdScope;
  }
  const max = parseValue(info, valueText);
  if (max === undefined) throw bad(`${THRESHOLD_VALUE_SYNTAX} where VALUE is ${valueExpected(info)}`);
  return { architecture, metric: info.metric, scope, max, flag: info.flag, text };
}

function example(info: MetricInfo): string {
  switch (info.unit) {
    case 'ratio':
      return 'stateless=0.01';
    case 'ms':
      return 'stateless=2000';
    case 'count':
      return 'stateless=0';
  }
}

/** The flags as yargs hands them over: absent, one string, or several when repeated. */
export type ThresholdFlagArgs = { [flag: string]: unknown };

/** Every threshold given on the command line, in flag order; throws InputError on the first bad one. */
export function readThresholdFlags(args: ThresholdFlagArgs): CliThreshold[] {
  const thresholds: CliThreshold[] = [];
  for (const info of METRIC_LIST) {
    const raw = args[optionName(info)];
    if (raw === undefined) continue;
    const values = Array.isArray(raw) ? raw : [raw];
    for (const value of values) {
      if (typeof value !== 'string' || value.trim() === '') {
        throw new InputError(info.flag, value, `${THRESHOLD_VALUE_SYNTAX}, e.g. ${info.flag} ${example(info)}`);
      }
      thresholds.push(parseThresholdFlag(info, value));
    }
  }
  return thresholds;
}

/** The help shown under the threshold flags of `run`, `report` and `gate`. */
export const THRESHOLD_HELP = [
  `Threshold flags take ${THRESHOLD_VALUE_SYNTAX} and may be repeated:`,
  `  ARCH   ${ARCH_CHOICES.slice(0, -1).join(', ')}, or '*' for every architecture (a bare VALUE means '*')`,
  '  SCOPE  trial (default): the whole-trial figure; fault-windows: the worst fault window',
  '         (recovery, detection and scale-out are per fault or replica: both scopes take the worst)',
  '  VALUE  rates: a fraction or a percentage (0.01, 1%); times: ms or a duration (2000, 2s); counts: an integer',
  "They add to the scenario's thresholds and replace its limit for the same architecture, metric and scope;",
  "an architecture's own flag beats '*'. A figure that cannot be measured (not recovered, no requests) fails.",
].join('\n');

/** Adds the threshold flags to a command. */
export function thresholdOptions<T>(yargs: Argv<T>): Argv<T> {
  let built = yargs;
  for (const info of METRIC_LIST) {
    built = built.option(optionName(info), {
      type: 'string',
      group: 'Thresholds:',
      requiresArg: true,
      describe: `max ${info.label} (${info.unit === 'ratio' ? 'fraction' : info.unit}); trial: ${info.trial}; fault-windows: ${info.faultWindows}`,
    });
  }
  return built.epilogue(THRESHOLD_HELP);
}
