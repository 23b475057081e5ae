/**
 * Typed reads of __ENV with defaults; a bad value stops the script at init with a message naming
 * the variable, the value and what is allowed. Pure: no k6 import.
 */
export type Env = Readonly<Record<string, string | undefined>>;

export const K6_DURATION = /^(?:\d+(?:\.\d+)?(?:ms|us|µs|ns|h|m|s))+$/;

export function envError(name: string, value: string, allowed: string): Error {
  return new Error(`${name}: ${JSON.stringify(value)} is not allowed; expected ${allowed}`);
}

function present(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

export function positiveInt(env: Env, name: string, fallback: number): number {
  const value = present(env, name);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw envError(name, value, 'a whole number ≥ 1');
  return Number(value);
}

export function nonNegativeNumber(env: Env, name: string, fallback: number): number {
  const value = present(env, name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw envError(name, value, 'a number ≥ 0');
  return n;
}

export function durationText(env: Env, name: string, fallback: string): string {
  const value = present(env, name);
  if (value === undefined) return fallback;
  if (!K6_DURATION.test(value)) throw envError(name, value, 'a duration such as "30s", "1m30s" or "1500ms"');
  return value;
}

export function stringValue(env: Env, name: string, fallback: string): string {
  return present(env, name) ?? fallback;
}
