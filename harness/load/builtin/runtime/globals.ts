/**
 * The `__rt` object a transformed module receives: k6's globals for this VU (__VU, __ITER, __ENV,
 * open, console) and the helpers the transform's output calls (exports, callbacks, native-async tag,
 * call-depth guard, throw record).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { format } from 'node:util';
import type { LogLevel, ModuleVu } from '../k6/module-vu.ts';
import type { CallDepth } from './call-depth.ts';
import type { ThrownValue } from './exception.ts';
import { callWithCallbacks, callWithCallbacksOptional, markNativeAsync } from './callbacks.ts';
import { defineExports, reexport } from './modules.ts';

/** What the globals need of their VU besides what k6 modules get: the transformed code's guards. */
export interface ScriptVu extends ModuleVu {
  readonly callDepth: CallDepth;
  lastThrown: ThrownValue | undefined;
}

function createConsole(vu: ModuleVu): Record<string, (...args: unknown[]) => void> {
  const write = (level: LogLevel) => (...args: unknown[]) => {
    vu.run.logger.log(level, format(...args), { source: 'console' });
  };
  return { log: write('info'), info: write('info'), debug: write('debug'), warn: write('warn'), error: write('error') };
}

export function createRuntime(vu: ScriptVu, moduleDir: string): object {
  const consoleApi = createConsole(vu);
  return {
    get VU(): number {
      return vu.idInTest;
    },
    get ITER(): number {
      return Math.max(0, vu.iterationInScenario);
    },
    get ENV(): Record<string, string> {
      return vu.env;
    },
    console: consoleApi,
    open(file: unknown, mode?: unknown): string | ArrayBuffer {
      if (vu.phase !== 'init') throw new Error('The "open()" function is only available in the init stage (i.e. the global scope), see https://k6.io/docs/using-k6/test-life-cycle for more information');
      const target = path.resolve(moduleDir, String(file));
      let content = vu.run.files.get(target);
      if (content === undefined) {
        content = mode === 'b' ? new Uint8Array(readFileSync(target)) : readFileSync(target, 'utf8');
        vu.run.files.set(target, content);
      }
      if (mode === 'b') {
        const bytes = typeof content === 'string' ? Buffer.from(content) : content;
        return bytes.slice().buffer as ArrayBuffer;
      }
      return typeof content === 'string' ? content : Buffer.from(content).toString('utf8');
    },
    exp: defineExports,
    reexport,
    na: markNativeAsync,
    cb: callWithCallbacks,
    cbo: callWithCallbacksOptional,
    // The call-depth guard and the throw record (transform/guards.ts).
    g: vu.callDepth,
    deep: () => vu.callDepth.deep(),
    th: (value: unknown): unknown => {
      if (!(value instanceof Error)) vu.lastThrown = { value, stack: new Error().stack };
      return value;
    },
  };
}
