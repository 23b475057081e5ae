/**
 * How the fault proxy becomes the one file an image runs with Debian's Node 18: the app's bundle
 * options (CommonJS, node18, not minified) with this entry. It uses Node's builtins only.
 *   esbuild targets/proxy/main.ts --bundle --platform=node --target=node18 --format=cjs --outfile=proxy.cjs
 */
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import { appBundleOptions } from '../app/bundle.ts';

export const PROXY_ENTRY = fileURLToPath(new URL('./main.ts', import.meta.url));

export function proxyBundleOptions(outfile: string): BuildOptions {
  return { ...appBundleOptions(outfile), entryPoints: [PROXY_ENTRY] };
}

/** Writes the bundle to outfile; rejects with esbuild's errors. */
export async function bundleProxy(outfile: string): Promise<void> {
  const result = await build(proxyBundleOptions(outfile));
  if (result.errors.length > 0) throw new Error(result.errors.map((e) => e.text).join('\n'));
}
