import { spawnSync } from 'node:child_process';
import type { CommandModule } from 'yargs';
import { DockerRuntime } from '../../docker/docker-runtime.ts';
import { isHarnessError } from '../../core/errors.ts';
import { imageStatus } from '../../images/ensure-images.ts';
import { findK6 } from '../../load/engine.ts';
import { k6Version } from '../../load/k6/version.ts';
import { result } from '../output.ts';

export interface Check {
  name: string;
  ok: boolean;
  /** Required checks make doctor exit 1; the others are advice. */
  required: boolean;
  detail: string;
  fix?: string;
}

function commandVersion(command: string, args: string[]): string | undefined {
  const run = spawnSync(command, args, { encoding: 'utf8', timeout: 5000 });
  if (run.error || run.status !== 0) return undefined;
  return (run.stdout || run.stderr).split('\n')[0]?.trim();
}

export async function runChecks(): Promise<Check[]> {
  const checks: Check[] = [];
  const runtime = new DockerRuntime();
  let dockerOk = false;
  try {
    await runtime.ping();
    dockerOk = true;
    checks.push({ name: 'Docker engine', ok: true, required: true, detail: `reachable, version ${await runtime.version()}` });
  } catch (error) {
    checks.push({
      name: 'Docker engine',
      ok: false,
      required: true,
      detail: isHarnessError(error) ? error.message : String(error),
      fix: isHarnessError(error) ? error.hint : 'start dockerd',
    });
  }
  const mmdebstrap = commandVersion('mmdebstrap', ['--version']);
  if (dockerOk) {
    const images = await imageStatus(runtime).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
    if (images instanceof Error) {
      checks.push({ name: 'Images', ok: false, required: true, detail: images.message, fix: 'check targets/app (it must bundle with esbuild)' });
    } else {
    checks.push({
      name: 'Base image',
      ok: images.base.present || mmdebstrap !== undefined,
      required: true,
      detail: images.base.present ? `${images.base.tag} present` : `${images.base.tag} not built yet`,
      ...(images.base.present ? {} : { fix: 'npx harness images build (or let `harness up` build it on first use)' }),
    });
    checks.push({
      name: 'App image',
      ok: true,
      required: false,
      detail: images.app.present ? `${images.app.tag} present` : `${images.app.tag} not built yet (built on first use)`,
    });
    }
  } else {
    checks.push({ name: 'Images', ok: false, required: true, detail: 'cannot check without the Docker engine', fix: 'start Docker first' });
  }
  checks.push({
    name: 'mmdebstrap',
    ok: mmdebstrap !== undefined,
    required: false,
    detail: mmdebstrap ?? 'not found: needed only to build the base image',
    ...(mmdebstrap ? {} : { fix: 'npm run setup (or apt-get install mmdebstrap)' }),
  });
  checks.push(await k6Check());
  checks.push({ name: 'Node.js', ok: true, required: true, detail: process.version });
  return checks;
}

/** k6 is optional: without it `--engine auto` runs the built-in engine. */
async function k6Check(): Promise<Check> {
  try {
    const k6 = findK6(process.env);
    if (!k6) {
      return { name: 'k6', ok: true, required: false, detail: 'not found: --engine auto uses the built-in engine', fix: 'optional: put k6 on PATH or set K6_BIN=/path/to/k6' };
    }
    return { name: 'k6', ok: true, required: false, detail: `${await k6Version(k6.path, process.env)} (${k6.path}, from ${k6.source}): --engine auto uses it` };
  } catch (error) {
    return { name: 'k6', ok: false, required: false, detail: error instanceof Error ? error.message : String(error), fix: 'fix or unset K6_BIN' };
  }
}

export const doctorCommand: CommandModule = {
  command: 'doctor',
  describe: 'Check what the harness needs (Docker, images, k6) and say how to fix what is missing',
  handler: async () => {
    const checks = await runChecks();
    for (const check of checks) {
      const mark = check.ok ? 'ok  ' : check.required ? 'FAIL' : 'warn';
      result(`${mark} ${check.name}: ${check.detail}`);
      if (!check.ok && check.fix) result(`     fix: ${check.fix}`);
    }
    const failed = checks.filter((c) => c.required && !c.ok);
    if (failed.length > 0) {
      result(`\n${failed.length} required check(s) failed.`);
      process.exitCode = 1;
    }
  },
};
