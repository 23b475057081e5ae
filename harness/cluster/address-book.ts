/**
 * Which replica held which address when. Docker reuses the address of a removed container for the
 * next one, so a load balancer event must be mapped with the holder at the event's time.
 */
export class AddressBook {
  private readonly holders = new Map<string, Array<{ name: string; since: number }>>();

  /** Records that `name` holds `address` from `since` on (no-op when it already does). */
  record(address: string, name: string, since: number): void {
    const history = this.holders.get(address) ?? [];
    if (history.at(-1)?.name === name) return;
    history.push({ name, since });
    history.sort((a, b) => a.since - b.since);
    this.holders.set(address, history);
  }

  /** The replica that held the address at `time` (the latest holder when time is omitted). */
  holderAt(address: string | undefined, time = Number.POSITIVE_INFINITY): string | undefined {
    if (address === undefined) return undefined;
    const history = this.holders.get(address);
    if (!history) return undefined;
    let holder: string | undefined;
    for (const entry of history) if (entry.since <= time) holder = entry.name;
    return holder ?? history[0]?.name;
  }
}
