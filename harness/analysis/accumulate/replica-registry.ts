import { NO_REPLICA } from '../../../k6-scripts/lib/metric-names.ts';

/** The id of "no replica" (the request failed before a replica answered). */
export const NO_REPLICA_ID = -1;
/** Past this many distinct names the tag is not a replica name; the rest is pooled as "other". */
const MAX_REPLICAS = 256;
const OTHER = 'other';

/** Small integer ids for replica names, so per-second counts are arrays, not maps. */
export class ReplicaRegistry {
  readonly names: string[] = [];
  private readonly ids = new Map<string, number>();

  idOf(name: string | undefined): number {
    if (name === undefined || name === '' || name === NO_REPLICA) return NO_REPLICA_ID;
    const known = this.ids.get(name);
    if (known !== undefined) return known;
    const key = this.names.length < MAX_REPLICAS ? name : OTHER;
    const pooled = this.ids.get(key);
    if (pooled !== undefined) return pooled;
    const id = this.names.length;
    this.names.push(key);
    this.ids.set(key, id);
    return id;
  }

  /** Id of a name if it has been seen, without registering it. */
  find(name: string): number | undefined {
    return this.ids.get(name);
  }
}
