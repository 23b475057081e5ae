import { HarnessError } from '../core/errors.ts';
import type { Role } from '../core/labels.ts';
import type { MemberStatus } from '../core/member-status.ts';

export interface Member {
  /** Short name: `app-3`, `redis`, `lb`. Replicas answer with it in `X-Replica`. */
  name: string;
  containerId: string;
  role: Role;
  /** Replicas only: 1, 2, … in creation order, never reused within a run. */
  index?: number;
  /** What the harness last did to it; faults choose among members by it. */
  status: MemberStatus;
}

export type { MemberStatus };

/** The containers of one run by short name: the load balancer, the data tier and the replicas. */
export class Roster {
  private readonly runId: string;
  private readonly members = new Map<string, Member>();
  private nextIndex = 1;

  constructor(runId: string) {
    this.runId = runId;
  }

  add(member: Member): Member {
    this.members.set(member.name, member);
    return member;
  }

  delete(name: string): void {
    this.members.delete(name);
  }

  get(name: string): Member {
    const member = this.members.get(name);
    if (!member) {
      const known = [...this.members.keys()].join(', ');
      throw new HarnessError('E_NO_SUCH_MEMBER', `No container "${name}" in run ${this.runId} (known: ${known}).`);
    }
    return member;
  }

  /** Replicas that exist now, in creation order. */
  replicas(): Member[] {
    return [...this.members.values()].filter((m) => m.role === 'app').sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  }

  /** Numbers for `count` new replicas, never given before in this run. */
  takeIndexes(count: number): number[] {
    return Array.from({ length: count }, () => this.nextIndex++);
  }
}
