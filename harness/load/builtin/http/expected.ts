/** `http.expectedStatuses()` and the response callback that decides `expected_response`. */
export class ExpectedStatuses {
  constructor(readonly ranges: ReadonlyArray<{ min: number; max: number }>) {}
  matches(status: number): boolean {
    return this.ranges.some((r) => status >= r.min && status <= r.max);
  }
}

export function expectedStatuses(...args: unknown[]): ExpectedStatuses {
  const ranges = args.map((arg) => {
    if (typeof arg === 'number' && Number.isInteger(arg)) return { min: arg, max: arg };
    if (arg && typeof arg === 'object' && 'min' in arg && 'max' in arg) {
      return { min: Number((arg as { min: unknown }).min), max: Number((arg as { max: unknown }).max) };
    }
    throw new Error(`expectedStatuses: argument must be an integer or an object {min, max}, got ${JSON.stringify(arg)}`);
  });
  return new ExpectedStatuses(ranges);
}

export const DEFAULT_EXPECTED = new ExpectedStatuses([{ min: 200, max: 399 }]);
