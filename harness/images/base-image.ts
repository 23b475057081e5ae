import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { HarnessError } from '../core/errors.ts';
import { LABEL_IMAGE, LABEL_INPUTS_HASH } from '../core/labels.ts';
import { cacheDir } from '../core/paths.ts';
import type { ContainerRuntime } from '../docker/runtime.ts';

/**
 * The base image: a Debian root file system with Node.js, HAProxy and Redis, made from Debian
 * packages by mmdebstrap and imported with `docker import`. No registry is needed.
 */
export const BASE_IMAGE_INPUTS = {
  // Bump when the recipe below changes in a way the other fields do not show.
  recipe: 1,
  suite: 'bookworm',
  variant: 'minbase',
  packages: ['nodejs', 'haproxy', 'redis-server'],
  excludes: ['/usr/share/doc/*', '/usr/share/man/*', '/usr/share/locale/*', '/usr/share/info/*'],
} as const;

export const BASE_IMAGE_REPO = 'harness-base';

export function baseImageTag(): string {
  return `${BASE_IMAGE_REPO}:${inputsHash(BASE_IMAGE_INPUTS)}`;
}

export function inputsHash(inputs: unknown): string {
  return createHash('sha256').update(JSON.stringify(inputs)).digest('hex').slice(0, 12);
}

export function debianMirror(): string {
  return process.env.HARNESS_DEBIAN_MIRROR ?? 'http://deb.debian.org/debian';
}

export interface BuildLog {
  (line: string): void;
}

export async function buildBaseImage(runtime: ContainerRuntime, log: BuildLog): Promise<string> {
  const tag = baseImageTag();
  const dir = path.join(cacheDir(), 'base');
  await mkdir(dir, { recursive: true });
  const tarPath = path.join(dir, `rootfs-${inputsHash(BASE_IMAGE_INPUTS)}.tar`);
  const args = [
    `--variant=${BASE_IMAGE_INPUTS.variant}`,
    `--include=${BASE_IMAGE_INPUTS.packages.join(',')}`,
    ...BASE_IMAGE_INPUTS.excludes.map((glob) => `--dpkgopt=path-exclude=${glob}`),
    BASE_IMAGE_INPUTS.suite,
    tarPath,
    debianMirror(),
  ];
  log(`building ${tag}: mmdebstrap ${args.join(' ')}`);
  try {
    await runTool('mmdebstrap', args, log);
    await stat(tarPath);
    await runtime.importImage(tarPath, tag, { [LABEL_IMAGE]: 'base', [LABEL_INPUTS_HASH]: tag.split(':')[1] ?? '' }, [
      'ENV LANG=C.UTF-8',
      'CMD ["/bin/sh"]',
    ]);
  } finally {
    await rm(tarPath, { force: true });
  }
  return tag;
}

function runTool(command: string, args: readonly string[], log: BuildLog): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const collect = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        tail.push(line);
        if (tail.length > 20) tail.shift();
        log(line);
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new HarnessError('E_TOOL_MISSING', `${command} is not installed.`, {
              hint: `Install it: \`npm run setup\` (or apt-get install ${command})`,
            })
          : error,
      );
    });
    child.on('close', (code) => {
      if (code === 0) resolve();
      else
        reject(
          new HarnessError('E_IMAGE', `${command} failed with exit code ${code}:\n${tail.join('\n')}`, {
            hint: 'The base image needs root (or unprivileged user namespaces) and access to a Debian mirror (HARNESS_DEBIAN_MIRROR).',
          }),
        );
    });
  });
}
