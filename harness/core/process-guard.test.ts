import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { groupMembers, guardsOf, HAS_PROC, isRunning, waitFor } from '../testing/processes.ts';
import { guardChild } from './process-guard.ts';

const PARENT = fileURLToPath(new URL('./fixtures/guarded-parent.ts', import.meta.url));

/** Starts fixtures/guarded-parent.ts and resolves with it and the pid of its guarded child. */
async function guardedParent(mode: 'single' | 'group'): Promise<{ parent: ChildProcess; child: number }> {
  const parent = spawn(process.execPath, ['--import', 'tsx', PARENT, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error('the guarded parent did not start within 10 s')), 10_000);
    parent.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.includes('\n')) {
        clearTimeout(timer);
        resolve(text.trim());
      }
    });
  });
  return { parent, child: Number(line) };
}

describe.runIf(HAS_PROC)('process guard', () => {
  it('kills the child within a second of its parent being SIGKILLed, then ends', async () => {
    const { parent, child } = await guardedParent('single');
    const parentPid = parent.pid!;
    await waitFor('the guard', () => (guardsOf(parentPid).length === 1 ? true : undefined), 5_000);
    expect(isRunning(child)).toBe(true);
    const killedAt = Date.now();
    parent.kill('SIGKILL');
    await waitFor('the child to die', () => (isRunning(child) ? undefined : true), 2_000, 50);
    expect(Date.now() - killedAt).toBeLessThan(1_500);
    await waitFor('the guard to end', () => (guardsOf(parentPid).length === 0 ? true : undefined), 2_000, 50);
  });

  it("kills the child's whole process group when asked to", async () => {
    const { parent, child } = await guardedParent('group');
    const parentPid = parent.pid!;
    // The shell and its two sleeps.
    await waitFor('the group', () => (groupMembers(child).length === 3 ? true : undefined), 5_000);
    parent.kill('SIGKILL');
    await waitFor('the group to die', () => (groupMembers(child).length === 0 ? true : undefined), 2_000, 50);
    await waitFor('the guard to end', () => (guardsOf(parentPid).length === 0 ? true : undefined), 2_000, 50);
  });

  it('ends by itself soon after the child ends, and at once when disposed', async () => {
    const short = spawn('sleep', ['0.2'], { stdio: 'ignore' });
    guardChild(short.pid!);
    expect(guardsOf(process.pid)).toHaveLength(1);
    await waitFor('the guard to end', () => (guardsOf(process.pid).length === 0 ? true : undefined), 2_000, 50);

    const long = spawn('sleep', ['30'], { stdio: 'ignore' });
    const guard = guardChild(long.pid!);
    const [guardPid] = await waitFor('the guard', () => (guardsOf(process.pid).length === 1 ? guardsOf(process.pid) : undefined), 2_000, 20);
    guard.dispose();
    // The guard leads its own group: the shell and any `sleep` it waits on go together.
    await waitFor('the guard to end', () => (groupMembers(guardPid!).length === 0 ? true : undefined), 1_000, 20);
    // Disposing never touches the child.
    expect(isRunning(long.pid!)).toBe(true);
    long.kill('SIGKILL');
  });
});
