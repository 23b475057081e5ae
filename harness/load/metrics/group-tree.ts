import { createHash } from 'node:crypto';

/** k6 identifies groups and checks by the MD5 of their path (lib/models.go). */
function k6Id(path: string): string {
  return createHash('md5').update(path).digest('hex');
}

export interface CheckNode {
  readonly name: string;
  readonly path: string;
  readonly id: string;
  passes: number;
  fails: number;
}

export interface GroupNode {
  readonly name: string;
  readonly path: string;
  readonly id: string;
  /** In order of first appearance, as k6 keeps them. */
  readonly groups: GroupNode[];
  readonly checks: CheckNode[];
}

interface GroupEntry {
  node: GroupNode;
  children: Map<string, GroupEntry>;
  checks: Map<string, CheckNode>;
}

const SEPARATOR = '::';

/**
 * The group tree of a run, rebuilt from samples: every sample's `group` tag (a path like "::a::b")
 * names a group, and each `checks` sample counts a pass or a fail of the check named by its `check`
 * tag in that group. This is what k6 reports as root_group.
 */
export class GroupTree {
  private readonly root: GroupEntry = entry('', '');
  private readonly byPath = new Map<string, GroupEntry>([['', this.root]]);

  get rootGroup(): GroupNode {
    return this.root.node;
  }

  /** Returns the group at `path`, creating it and its ancestors on first sight. */
  group(path: string): GroupNode {
    return this.entryFor(path).node;
  }

  recordCheck(groupPath: string, name: string, passed: boolean): void {
    const group = this.entryFor(groupPath);
    let check = group.checks.get(name);
    if (check === undefined) {
      const path = `${groupPath}${SEPARATOR}${name}`;
      check = { name, path, id: k6Id(path), passes: 0, fails: 0 };
      group.checks.set(name, check);
      group.node.checks.push(check);
    }
    if (passed) check.passes++;
    else check.fails++;
  }

  private entryFor(path: string): GroupEntry {
    const known = this.byPath.get(path);
    if (known !== undefined) return known;
    // Paths are "::name::name"; a path without the leading separator is taken as one top-level name.
    const names = path.startsWith(SEPARATOR) ? path.slice(SEPARATOR.length).split(SEPARATOR) : [path];
    let current = this.root;
    for (const name of names) {
      let child = current.children.get(name);
      if (child === undefined) {
        const childPath = `${current.node.path}${SEPARATOR}${name}`;
        child = entry(name, childPath);
        current.children.set(name, child);
        current.node.groups.push(child.node);
        this.byPath.set(childPath, child);
      }
      current = child;
    }
    this.byPath.set(path, current);
    return current;
  }
}

function entry(name: string, path: string): GroupEntry {
  return { node: { name, path, id: k6Id(path), groups: [], checks: [] }, children: new Map(), checks: new Map() };
}
