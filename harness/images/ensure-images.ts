import type { ContainerRuntime } from '../docker/runtime.ts';
import { appImageTag, buildAppImage, bundleImagePrograms } from './app-image.ts';
import { baseImageTag, buildBaseImage, type BuildLog } from './base-image.ts';

export interface Images {
  base: string;
  app: string;
  /** What had to be built this time (empty when both were present). */
  built: string[];
}

/** Builds what is missing; an image whose inputs have not changed is reused as it is. */
export async function ensureImages(
  runtime: ContainerRuntime,
  log: BuildLog,
  options: { force?: boolean } = {},
): Promise<Images> {
  const built: string[] = [];
  let base = baseImageTag();
  if (options.force || !(await runtime.findImage(base))) {
    base = await buildBaseImage(runtime, log);
    built.push(base);
  }
  const bundles = await bundleImagePrograms();
  let app = appImageTag(base, bundles);
  if (options.force || built.length > 0 || !(await runtime.findImage(app))) {
    log(`building ${app}`);
    app = await buildAppImage(runtime, base, bundles);
    built.push(app);
  }
  return { base, app, built };
}

export async function imageStatus(
  runtime: ContainerRuntime,
): Promise<{ base: { tag: string; present: boolean }; app: { tag: string; present: boolean } }> {
  const base = baseImageTag();
  const app = appImageTag(base, await bundleImagePrograms());
  return {
    base: { tag: base, present: (await runtime.findImage(base)) !== undefined },
    app: { tag: app, present: (await runtime.findImage(app)) !== undefined },
  };
}
