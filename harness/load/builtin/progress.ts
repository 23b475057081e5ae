/** k6's progress lines: `running (01.0s), 2/4 VUs, 39 complete and 0 interrupted iterations`. */
import type { ScenarioProgress } from './executors/common.ts';

/** k6's elapsed-time format: 01.0s, 1m05.0s, 1h02m05.0s. */
export function formatElapsed(ms: number): string {
  const tenths = Math.floor(ms / 100);
  const totalSeconds = Math.floor(tenths / 10);
  const fraction = tenths % 10;
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  const ss = `${String(s).padStart(2, '0')}.${fraction}s`;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m${ss}`;
  if (m > 0) return `${m}m${ss}`;
  return ss;
}

export interface ProgressSnapshot {
  elapsedMs: number;
  activeVus: number;
  maxVus: number;
  completed: number;
  interrupted: number;
  scenarios: Array<{ name: string; progress: ScenarioProgress }>;
}

export function formatProgress(p: ProgressSnapshot): string {
  const lines = [`running (${formatElapsed(p.elapsedMs)}), ${p.activeVus}/${p.maxVus} VUs, ${p.completed} complete and ${p.interrupted} interrupted iterations`];
  const width = Math.max(...p.scenarios.map((s) => s.name.length));
  for (const { name, progress } of p.scenarios) {
    const mark = progress.state === 'done' ? '✓' : progress.state === 'stopping' ? '↓' : ' ';
    const percent = String(Math.floor(progress.fraction * 100)).padStart(3);
    lines.push(`${name.padEnd(width)} ${mark} [ ${percent}% ] ${progress.detail}`);
  }
  return lines.join('\n');
}
