/**
 * setup()'s result as k6 hands it on: through JSON, so that each VU gets a copy of its own (made once
 * per VU, and no VU sees another's changes), and teardown() and handleSummary() theirs.
 */
export class SetupData {
  private readonly json: string | undefined;
  private readonly perVu = new WeakMap<object, unknown>();

  /** Throws when the value cannot be made JSON (a cycle, a BigInt): setup() failed then. */
  constructor(readonly value: unknown) {
    this.json = value === undefined ? undefined : JSON.stringify(value);
  }

  forVu(vu: object): unknown {
    if (this.json === undefined) return undefined;
    if (!this.perVu.has(vu)) this.perVu.set(vu, JSON.parse(this.json) as unknown);
    return this.perVu.get(vu);
  }

  copy(): unknown {
    return jsonCopy(this.value);
  }
}

/** No setup(), or one that returned nothing. */
export const NO_SETUP_DATA = new SetupData(undefined);

export function jsonCopy(value: unknown): unknown {
  if (value === undefined) return undefined;
  return JSON.parse(JSON.stringify(value)) as unknown;
}
