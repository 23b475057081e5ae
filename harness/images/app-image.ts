import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { LABEL_IMAGE, LABEL_INPUTS_HASH } from '../core/labels.ts';
import { appBundleOptions } from '../../targets/app/bundle.ts';
import type { ContainerRuntime } from '../docker/runtime.ts';
import { inputsHash } from './base-image.ts';

export const APP_IMAGE_REPO = 'harness-app';
export const APP_PORT = 8080;
/** How the image runs the app; other entries of the bundle (e.g. seed-ledger) are arguments after it. */
export const APP_COMMAND = ['node', '/opt/app/app.cjs'] as const;

/** targets/app bundled into one file (the app's own bundle options) for Debian's Node.js 18. */
export async function bundleApp(): Promise<string> {
  const result = await build({ ...appBundleOptions('app.cjs'), write: false });
  const output = result.outputFiles?.[0];
  if (!output) throw new Error('esbuild produced no output for targets/app/main.ts');
  return output.text;
}

function dockerfile(baseTag: string): string {
  return [
    `FROM ${baseTag}`,
    'COPY app.cjs /opt/app/app.cjs',
    'ENV NODE_ENV=production',
    'USER 65534:65534',
    `EXPOSE ${APP_PORT}`,
    `CMD ${JSON.stringify(APP_COMMAND)}`,
    '',
  ].join('\n');
}

/** The app image's tag names the hash of its inputs (base image + bundle), so it is rebuilt only on change. */
export function appImageTag(baseTag: string, bundle: string): string {
  return `${APP_IMAGE_REPO}:${inputsHash({ baseTag, bundle, dockerfile: dockerfile(baseTag) })}`;
}

export async function buildAppImage(runtime: ContainerRuntime, baseTag: string, bundle: string): Promise<string> {
  const tag = appImageTag(baseTag, bundle);
  const dir = await mkdtemp(path.join(tmpdir(), 'harness-app-'));
  try {
    await writeFile(path.join(dir, 'Dockerfile'), dockerfile(baseTag));
    await writeFile(path.join(dir, 'app.cjs'), bundle);
    await runtime.buildImage(dir, tag, { [LABEL_IMAGE]: 'app', [LABEL_INPUTS_HASH]: tag.split(':')[1] ?? '' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return tag;
}
