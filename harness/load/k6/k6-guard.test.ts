/**
 * Issue 11: k6 runs in a process group of its own (k6-engine.ts spawns it detached), so nothing takes
 * it down with `harness load`; the process guard does, the whole group, whatever kills the harness.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCli } from '../../testing/cli.ts';
import { allGone, commandLine, descendants, groupMembers, guardsOf, HAS_PROC, waitFor } from '../../testing/processes.ts';

const FAKE_K6 = fileURLToPath(new URL('./fixtures/fake-k6.mjs', import.meta.url));

describe.runIf(HAS_PROC)('k6 when `harness load` is SIGKILLed', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'k6-guard-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("its whole process group is gone within 2 s, even a k6 that ignores SIGINT", async () => {
    // A "k6" that is a shell running the stand-in as its child, in the same group: killing only the
    // process the harness spawned would leave the stand-in running.
    const k6 = path.join(dir, 'k6');
    writeFileSync(k6, `#!/bin/sh\n"${process.execPath}" "${FAKE_K6}" "$@" &\nwait $!\n`);
    chmodSync(k6, 0o755);
    const script = path.join(dir, 'script.js');
    writeFileSync(script, 'export default function () {}\n');

    const { child, done } = startCli(['load', script, '--engine', 'k6'], { K6_BIN: k6, FAKE_K6_MODE: 'ignore-sigint' });
    try {
      // The shell is the group's leader: its pid is the group's id.
      const group = await waitFor(
        'k6 and its child',
        () => descendants(child.pid!).find((pid) => commandLine(pid)[1] === k6 && commandLine(pid).includes('run') && groupMembers(pid).length === 2),
        15_000,
      );
      const guards = guardsOf(child.pid!);
      expect(guards).toHaveLength(1);
      const members = groupMembers(group);
      child.kill('SIGKILL');
      await allGone(members, 2_000);
      await allGone(guards, 2_000);
    } finally {
      child.kill('SIGKILL');
      await done;
    }
  });
});
