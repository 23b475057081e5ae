import type { LoadRunOptions } from '../contract.ts';

export interface K6RunPaths {
  script: string;
  ndjson: string | undefined;
  summaryExport: string;
}

/**
 * The `k6 run` command line for a run: outputs first, then CLI overrides, then `-e` values, then the
 * script. Flags use the `--flag=value` form so that a value starting with "-" cannot be misread.
 */
export function k6RunArgs(options: Pick<LoadRunOptions, 'env' | 'vus' | 'duration' | 'iterations'>, paths: K6RunPaths): string[] {
  const args = ['run'];
  if (paths.ndjson !== undefined) args.push(`--out=json=${paths.ndjson}`);
  args.push(`--summary-export=${paths.summaryExport}`);
  if (options.vus !== undefined) args.push(`--vus=${options.vus}`);
  if (options.duration !== undefined) args.push(`--duration=${options.duration}`);
  if (options.iterations !== undefined) args.push(`--iterations=${options.iterations}`);
  for (const [key, value] of Object.entries(options.env)) args.push(`--env=${key}=${value}`);
  args.push(paths.script);
  return args;
}
