import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { LABEL_IMAGE, LABEL_INPUTS_HASH } from '../core/labels.ts';
import { appBundleOptions } from '../../targets/app/bundle.ts';
import { proxyBundleOptions } from '../../targets/proxy/bundle.ts';
import type { ContainerRuntime } from '../docker/runtime.ts';
import { inputsHash } from './base-image.ts';

export const APP_IMAGE_REPO = 'harness-app';
export const APP_PORT = 8080;
/** How the image runs the app; other entries of the bundle (e.g. seed-ledger) are arguments after it. */
export const APP_COMMAND = ['node', '/opt/app/app.cjs'] as const;
/** How the image runs the fault proxy (targets/proxy: Toxiproxy's HTTP API, for link faults). */
export const PROXY_COMMAND = ['node', '/opt/app/proxy.cjs'] as const;
/** The port of the fault proxy's HTTP API, Toxiproxy's own. */
export const PROXY_API_PORT = 8474;

/** The programs the image carries, each bundled into one file for Debian's Node.js 18 with its own options. */
const PROGRAMS = {
  'app.cjs': appBundleOptions,
  'proxy.cjs': proxyBundleOptions,
} satisfies Record<string, (outfile: string) => BuildOptions>;

/** Each program's bundle: file name → text. */
export type ImageBundles = Record<keyof typeof PROGRAMS, string>;

/** targets/app and targets/proxy, bundled. */
export async function bundleImagePrograms(): Promise<ImageBundles> {
  const bundle = async ([file, options]: [string, (outfile: string) => BuildOptions]): Promise<[string, string]> => {
    const result = await build({ ...options(file), write: false });
    const output = result.outputFiles?.[0];
    if (!output) throw new Error(`esbuild produced no output for ${file}`);
    return [file, output.text];
  };
  return Object.fromEntries(await Promise.all(Object.entries(PROGRAMS).map(bundle))) as ImageBundles;
}

function dockerfile(baseTag: string): string {
  return [
    `FROM ${baseTag}`,
    'COPY app.cjs proxy.cjs /opt/app/',
    'ENV NODE_ENV=production',
    'USER 65534:65534',
    `EXPOSE ${APP_PORT}`,
    `CMD ${JSON.stringify(APP_COMMAND)}`,
    '',
  ].join('\n');
}

/** The app image's tag names the hash of its inputs (base image + bundles), so it is rebuilt only on change. */
export function appImageTag(baseTag: string, bundles: ImageBundles): string {
  return `${APP_IMAGE_REPO}:${inputsHash({ baseTag, ...bundles, dockerfile: dockerfile(baseTag) })}`;
}

export async function buildAppImage(runtime: ContainerRuntime, baseTag: string, bundles: ImageBundles): Promise<string> {
  const tag = appImageTag(baseTag, bundles);
  const dir = await mkdtemp(path.join(tmpdir(), 'harness-app-'));
  try {
    await writeFile(path.join(dir, 'Dockerfile'), dockerfile(baseTag));
    for (const [file, text] of Object.entries(bundles)) await writeFile(path.join(dir, file), text);
    await runtime.buildImage(dir, tag, { [LABEL_IMAGE]: 'app', [LABEL_INPUTS_HASH]: tag.split(':')[1] ?? '' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return tag;
}
