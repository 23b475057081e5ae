import { spawn } from 'node:child_process';
import { info } from './output.ts';

/** Opens a file in the desktop's browser where there is one; otherwise says where it is. */
export function openInBrowser(file: string): void {
  const opener = process.platform === 'darwin' ? 'open' : 'xdg-open';
  const child = spawn(opener, [file], { stdio: 'ignore', detached: true });
  child.on('error', () => info(`open ${file} in a browser (no ${opener} here)`));
  child.unref();
  info(`report: ${file}`);
}
