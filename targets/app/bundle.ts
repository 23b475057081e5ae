/**
 * How the application becomes the one file its image runs (with Debian's Node 18): a CommonJS
 * bundle, ioredis included. CommonJS because ioredis is CommonJS and calls require() on Node's
 * builtins, which an ESM bundle cannot do without a createRequire banner. The CLI equivalent is
 *   esbuild targets/app/main.ts --bundle --platform=node --target=node18 --format=cjs --outfile=app.cjs
 * The `.cjs` name keeps it CommonJS whatever package.json sits near it.
 */
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';

export const APP_ENTRY = fileURLToPath(new URL('./main.ts', import.meta.url));

export function appBundleOptions(outfile: string): BuildOptions {
  return {
    entryPoints: [APP_ENTRY],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node18',
    format: 'cjs',
    // Readable stack traces in container logs matter more than bytes.
    minify: false,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'silent',
  };
}

/** Writes the bundle to outfile; rejects with esbuild's errors. */
export async function bundleApp(outfile: string): Promise<void> {
  const result = await build(appBundleOptions(outfile));
  if (result.errors.length > 0) throw new Error(result.errors.map((e) => e.text).join('\n'));
}
