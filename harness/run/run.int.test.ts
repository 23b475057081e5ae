import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DockerRuntime } from '../docker/docker-runtime.ts';
import { REPO_ROOT } from '../core/paths.ts';
import { runCli, startCli } from '../testing/cli.ts';
import { leftovers } from '../testing/docker-leftovers.ts';
import { testImages } from '../testing/images.ts';
import { readTrial, type TrialOutput } from '../testing/run-files.ts';
import { readRigFigures } from '../testing/rig-figures.ts';
import { editedShippedScenario } from '../testing/shipped-scenario.ts';
import type { Results } from '../analysis/index.ts';
import type { RunManifest } from '../core/run-files/index.ts';

const runtime = new DockerRuntime();
const SCENARIOS = path.join(REPO_ROOT, 'harness', 'scenarios');

async function runScenario(args: string[]): Promise<{ dir: string; code: number | null; stderr: string }> {
  await testImages();
  const reports = await mkdtemp(path.join(tmpdir(), 'harness-run-'));
  const result = await runCli(['run', ...args, '--engine', 'builtin', '--reports-dir', reports], {}, 600_000);
  const dir = result.stdout.trim().split('\n').at(-1) ?? '';
  expect(dir.startsWith(reports), result.stderr).toBe(true);
  return { dir, code: result.code, stderr: result.stderr };
}

const during = (t: TrialOutput, from: number, to: number) => t.responses.filter((r) => r.time > from && r.time < to);

describe('harness run, end to end on the built-in engine', () => {
  it('the default comparison: stateful loses sessions after the kill, stateless none; both scale out; faults on time', async () => {
    // The shipped default, with 36 s of load instead of 60 (CI's time): the kill at 12 s still has
    // 10 s of baseline before it, the scale-out at 24 s 12 s to show its new replicas serving.
    const scenario = await editedShippedScenario('default.yaml', (text) => text.replace('duration: 60s', 'duration: 36s'));
    const { dir, code, stderr } = await runScenario([scenario]);
    expect(code, stderr).toBe(0);
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as RunManifest;
    expect(manifest.status).toBe('completed');
    expect(manifest.engine?.name).toBe('builtin');
    expect(manifest.trials.map((t) => [t.architecture, t.status])).toEqual([
      ['stateful', 'completed'],
      ['stateless', 'completed'],
    ]);

    const stateful = await readTrial(dir, 'stateful');
    const stateless = await readTrial(dir, 'stateless');
    for (const trial of [stateful, stateless]) {
      expect(trial.events.map((e) => [e.action, e.outcome])).toEqual([
        ['kill', 'ok'],
        ['scale-out', 'ok'],
      ]);
      // Measured from the events: every fault started within 100 ms of its schedule.
      for (const event of trial.events) expect(Math.abs(event.startDelayMs)).toBeLessThanOrEqual(100);
      const scaleOut = trial.events[1]!;
      expect(scaleOut.targets).toHaveLength(2);
      for (const op of scaleOut.operations) expect(Object.keys(op.phases)).toEqual(['created', 'started', 'ready', 'inLb']);
      // The new replicas served requests before the end.
      for (const added of scaleOut.targets) expect(trial.responses.some((r) => r.replica === added)).toBe(true);
    }
    // The rig measures the architecture, not itself (issue 12).
    for (const trial of [stateful, stateless]) {
      const name = trial.record.name;
      const rig = await readRigFigures(dir, name, trial.events, trial.record.faultWindowMs);
      // No request waits at the load balancer for more than 100 ms (before: 1 s, a connect timeout on
      // an address nothing answered at), by HAProxy's own timers. A kill costs at most one connect
      // timeout (50 ms) to the vanished address, and until it settled the p99 is within 100 ms of the
      // 10 s before. A scale-out costs at most one too, and only on a busy machine, where Docker takes
      // longer to bring up the interface it already published (join-under-load.int.test.ts); its p99
      // is not bounded here: two replicas booting on two cores slow what runs beside them, a cost of
      // this one-host rig the report cannot tell from the architecture's (README, Limits).
      for (const window of rig.windows) {
        const what = `${name} ${window.action}: ${JSON.stringify(window)}`;
        expect(window.baselineRequests, what).toBeGreaterThan(100);
        expect(window.lbWaitMs, what).toBeLessThanOrEqual(100);
        if (window.action === 'kill') expect(window.p99UntilSettled - window.baselineP99, what).toBeLessThanOrEqual(100);
      }
      // k6 and the load balancer counted the same requests; the log lost none of HAProxy's lines.
      expect(rig.end, `${name}: counters at the end`).toBeDefined();
      expect(rig.end!.frontend.requests - rig.emptyConnections, name).toBe(rig.k6Requests);
      expect(rig.end!.logSinks.find((sink) => sink.name === 'events')?.dropped, name).toBe(0);
      // HAProxy logs every request once it ends; one it closed unanswered (its replica died during a
      // keep-alive request, the client is left to retry) it does not log: k6 saw those as status 0.
      expect(rig.accessLines, name).toBe(rig.k6Requests - rig.k6Unanswered);
      expect(rig.snapshots.filter((s) => s.reason === 'fault').map((s) => s.action).sort(), name).toEqual(['kill', 'scale-out']);
      // "In LB" is the load balancer's own time of marking the replica up, and phases are in order.
      const scaleOut = trial.events.find((e) => e.action === 'scale-out')!;
      for (const op of scaleOut.operations) {
        const { created, started, ready, inLb } = op.phases as Record<string, number>;
        const lbUp = trial.lbStates.find((s) => s.replica === op.target && s.state === 'up' && s.time >= scaleOut.startedAt);
        expect(inLb, `${name} ${op.target}`).toBe(lbUp?.time);
        const firstRequest = Math.min(...trial.responses.filter((r) => r.replica === op.target).map((r) => r.time));
        expect([created! <= started!, started! <= ready!, ready! <= inLb!, inLb! <= firstRequest], `${name} ${op.target}: ${JSON.stringify(op.phases)}, first ${firstRequest}`).toEqual([true, true, true, true]);
      }
      // The killed replica leaves the load balancer at a time of the load balancer's own.
      const kill = trial.events.find((e) => e.action === 'kill')!;
      expect(trial.lbStates.some((s) => s.replica === kill.targets[0] && ['down', 'maint'].includes(s.state) && s.time >= kill.startedAt), name).toBe(true);
    }

    const killAt = stateful.events[0]!.startedAt;
    expect(stateful.lostSessions.length).toBeGreaterThan(0);
    expect(stateful.lostSessions.every((l) => l.time >= killAt)).toBe(true);
    expect(stateful.lostSessions.every((l) => l.reason === 'unknown_session')).toBe(true);
    expect(stateless.lostSessions).toEqual([]);

    // The figures follow issue 12's definitions on this real run (results.json).
    const results = JSON.parse(await readFile(path.join(dir, 'results.json'), 'utf8')) as Results;
    for (const trial of results.trials) {
      expect(trial.status, trial.name).toBe('completed');
      // t0 is when the engine began, before its first request ended.
      expect(trial.t0Source, trial.name).toBe('engine-start');
      const kill = trial.faults.find((fault) => fault.action === 'kill')!;
      const sessions = kill.sessions!;
      // Session loss among the sessions open at the kill (at most one per VU), and among those pinned to it.
      expect(sessions.openAtFault, trial.name).toBeGreaterThan(0);
      expect(sessions.openAtFault, trial.name).toBeLessThanOrEqual(20);
      expect(sessions.lossRate, trial.name).toBe(sessions.lostOpen / sessions.openAtFault);
      expect(sessions.pinnedToTarget, trial.name).toBeGreaterThan(0);
      // Recovery on 100 ms buckets, for errors and p99 latency, whichever is later.
      expect(kill.recoveryResolutionMs, trial.name).toBe(100);
      expect(kill.recoveryMs, trial.name).not.toBeNull();
      expect(kill.recoveryMs, trial.name).toBe(Math.max(kill.recovery.errorsMs!, kill.recovery.latencyMs!));
      expect(kill.excessErrors, trial.name).toBeGreaterThanOrEqual(0);
      expect(kill.detectionMs === null || kill.detectedBy !== null, trial.name).toBe(true);
    }
    const [statefulResult, statelessResult] = results.trials;
    const statefulKill = statefulResult!.faults.find((fault) => fault.action === 'kill')!.sessions!;
    const statelessKill = statelessResult!.faults.find((fault) => fault.action === 'kill')!.sessions!;
    // Where sessions live in the replica the pinned ones are expected to be lost, and most are.
    expect(statefulKill.pinnedMeaning).toBe('expected-to-lose');
    expect(statefulKill.lostPinned).toBeGreaterThan(0);
    expect(statefulKill.lossRate).toBeGreaterThan(0);
    // Elsewhere they were only last served by the target, and none is lost.
    expect(statelessKill.pinnedMeaning).toBe('last-served-by-target');
    expect([statelessKill.lost, statelessKill.lossRate]).toEqual([0, 0]);

    // Every output, and a gate that holds or fails on the figures this run produced.
    for (const file of ['results.json', 'report.html', 'summary.md', 'junit.xml']) {
      expect((await readFile(path.join(dir, file), 'utf8')).length, file).toBeGreaterThan(100);
    }
    const failing = await runCli(['gate', dir, '--max-sessions-lost', 'stateful=0']);
    expect(failing.code, failing.stderr).toBe(1);
    expect(failing.stdout).toMatch(/FAIL/);
    const passing = await runCli(['gate', dir, '--max-sessions-lost', 'stateless=0', '--max-session-loss', 'stateless=0']);
    expect(passing.code, passing.stderr + passing.stdout).toBe(0);
    expect(await readFile(path.join(dir, 'junit.xml'), 'utf8')).toContain('sessions_lost');

    expect(await leftovers(runtime)).toEqual([]);
  });

  it('every fault action, each with its effect (on event-sourced; --only runs one trial)', async () => {
    const { dir, code, stderr } = await runScenario([path.join(SCENARIOS, 'every-fault.yaml'), '--only', 'event-sourced']);
    expect(code, stderr).toBe(0);
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as RunManifest;
    expect(manifest.trials.map((t) => t.name)).toEqual(['event-sourced']);
    const trial = await readTrial(dir, 'event-sourced');
    const event = (action: string, target?: string) => {
      const found = trial.events.find((e) => e.action === action && !e.revert && (target === undefined || e.targets.includes(target)));
      expect(found, `${action} ${target ?? ''}`).toBeDefined();
      expect(found!.outcome, found!.error).toBe('ok');
      return found!;
    };
    for (const action of ['kill', 'stop', 'restart', 'pause', 'unpause', 'scale-out', 'scale-in', 'partition', 'heal']) event(action);
    for (const e of trial.events) expect(Math.abs(e.startDelayMs)).toBeLessThanOrEqual(100);

    // Killed and stopped replicas answer nothing afterwards.
    for (const action of ['kill', 'stop']) {
      const e = event(action);
      expect(during(trial, e.endedAt + 1000, Number.POSITIVE_INFINITY).filter((r) => r.replica === e.targets[0])).toEqual([]);
    }
    // A paused replica stops answering, is marked down, and answers again after unpause.
    const pause = event('pause');
    const paused = pause.targets[0]!;
    const unpause = event('unpause', paused);
    expect(during(trial, pause.endedAt + 1000, unpause.startedAt).filter((r) => r.replica === paused)).toEqual([]);
    expect(trial.lbStates.some((s) => s.replica === paused && s.state === 'down' && s.time > pause.startedAt && s.time < unpause.startedAt)).toBe(true);
    expect(during(trial, unpause.endedAt, Number.POSITIVE_INFINITY).some((r) => r.replica === paused && r.status === '200')).toBe(true);

    // A partitioned replica is taken out of the load balancer and comes back after heal.
    const partition = event('partition');
    const cut = partition.targets[0]!;
    const heal = event('heal', cut);
    expect(trial.lbStates.some((s) => s.replica === cut && ['down', 'maint'].includes(s.state) && s.time > partition.startedAt && s.time < heal.startedAt)).toBe(true);
    expect(trial.lbStates.some((s) => s.replica === cut && s.state === 'up' && s.time > heal.startedAt)).toBe(true);
    expect(during(trial, partition.endedAt + 1000, heal.startedAt).filter((r) => r.replica === cut)).toEqual([]);
    expect(during(trial, heal.endedAt + 1000, Number.POSITIVE_INFINITY).some((r) => r.replica === cut)).toBe(true);

    // A killed data tier fails the trial's requests (sessions live there); its restart recovers them.
    const redisKill = event('kill', 'redis');
    const redisRestart = event('restart', 'redis');
    const failing = during(trial, redisKill.endedAt + 500, redisRestart.startedAt);
    expect(failing.length).toBeGreaterThan(0);
    expect(failing.filter((r) => r.status === '200')).toEqual([]);
    expect(during(trial, redisRestart.endedAt + 2000, Number.POSITIVE_INFINITY).filter((r) => r.status === '200').length).toBeGreaterThan(0);

    // Scale-out adds replicas that serve; scale-in removes the newest, gracefully.
    const scaleOut = event('scale-out');
    for (const added of scaleOut.targets) expect(during(trial, scaleOut.startedAt, Number.POSITIVE_INFINITY).some((r) => r.replica === added)).toBe(true);
    const scaleIn = event('scale-in');
    expect(Object.keys(scaleIn.operations[0]!.phases)).toEqual(['stopped', 'outOfLb', 'removed']);
    expect(await leftovers(runtime)).toEqual([]);
  });

  it('the same scenario and seed choose the same fault targets', async () => {
    const scenario = path.join(await mkdtemp(path.join(tmpdir(), 'harness-seed-')), 'random.yaml');
    await writeFile(
      scenario,
      [
        'name: seeded choices',
        'seed: 1234',
        'architectures: [stateless]',
        'replicas: 4',
        'load: { script: ' + JSON.stringify(path.join(REPO_ROOT, 'k6-scripts', 'browse.ts')) + ', vus: 2, duration: 8s }',
        'faults:',
        '  - { at: 2s, action: pause, target: random, for: 2s }',
        '  - { at: 3s, action: kill, target: random }',
        '  - { at: 5s, action: stop, target: random }',
        '',
      ].join('\n'),
    );
    const targets = async (): Promise<string[][]> => {
      const { dir, code, stderr } = await runScenario([scenario]);
      expect(code, stderr).toBe(0);
      return (await readTrial(dir, 'stateless')).events.filter((e) => !e.revert).map((e) => e.targets);
    };
    const first = await targets();
    expect(first.flat()).toHaveLength(3);
    expect(await targets()).toEqual(first);
  });

  it('Ctrl-C stops load and faults, removes the cluster, keeps what was recorded and marks the run interrupted', async () => {
    await testImages();
    const reports = await mkdtemp(path.join(tmpdir(), 'harness-int-'));
    const { child, done } = startCli(['run', path.join(SCENARIOS, 'default.yaml'), '--engine', 'builtin', '--reports-dir', reports]);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the first fault never ran')), 120_000);
      child.stderr?.on('data', (chunk: Buffer) => {
        if (chunk.toString('utf8').includes('kill app-')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.kill('SIGINT');
    const result = await done;
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const dir = result.stdout.trim().split('\n').at(-1)!;
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as RunManifest;
    expect(manifest.status).toBe('interrupted');
    expect(manifest.trials[0]!.status).toBe('interrupted');
    expect(manifest.trials[1]!.status).toBe('skipped');
    const trial = await readTrial(dir, 'stateful');
    expect(trial.record.status).toBe('interrupted');
    expect(trial.events.map((e) => e.action)).toEqual(['kill']);
    expect(trial.responses.length).toBeGreaterThan(0);
    expect(await leftovers(runtime)).toEqual([]);
  });

  it('a bad scenario gets one line per problem, exit 2, and no container is started', async () => {
    const scenario = path.join(await mkdtemp(path.join(tmpdir(), 'harness-bad-')), 'bad.yaml');
    await writeFile(scenario, 'name: bad\narchitectures: [stateful, serverless]\nreplicas: 0\nload: { script: nope.ts, vus: 2, duration: 5s }\n');
    const before = await leftovers(runtime);
    const result = await runCli(['run', scenario]);
    expect(result.code).toBe(2);
    const problems = result.stderr.split('\n').filter((l) => / is not allowed; expected /.test(l));
    expect(problems.length).toBeGreaterThanOrEqual(3);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(await leftovers(runtime)).toEqual(before);
  });
});
