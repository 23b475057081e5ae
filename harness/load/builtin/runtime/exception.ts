/**
 * A script's exception as k6 prints it: the thrown value as JavaScript's String() shows it
 * (`Error: boom`, `TypeError: …`, `a string` for a thrown string), then one line per stack frame in
 * the user's own script files, innermost first:
 *
 *   Error: boom
 *   	at cfg (file:///abs/path/script.js:3:8)
 *   	at file:///abs/path/script.js:5:0
 *
 * The frames are goja's (k6 v0.49's JavaScript engine): `at name (file:///…:LINE:COLUMN)`, or no name
 * for an anonymous function and the module's top level, LINE 1-based and COLUMN 0-based as goja counts
 * them, in the original file (a .ts script's own lines, not esbuild's output's; see
 * transform/positions.ts). Unlike goja, no bytecode offset `(N)` follows the column: V8 has none.
 * The engine's own frames (its bundle in .harness-cache/, harness sources, node:internal,
 * node_modules) are never shown; with HARNESS_DEBUG set, V8's full stack follows, for a harness bug.
 */
import { pathToFileURL } from 'node:url';
import type { CompiledScript } from '../transform/loader.ts';

/** Where the script last threw a value that is not an Error (recorded by `__rt.th`). */
export interface ThrownValue {
  value: unknown;
  stack: string | undefined;
}

/** V8 captures 10 frames by default; a deep recursion shows as many, all alike. */
const MAX_FRAMES = 10;
/** A thrown value can be a whole response body: enough of it to read, not megabytes of log. */
const MAX_MESSAGE = 10_000;

/** `    at [async ]name (file:line:col)` or `    at [async ]file:line:col`. */
const V8_FRAME = /^\s*at (?:async )?(?:(.*?) \()?(.+?):(\d+):(\d+)\)?$/;

/** The value as JavaScript's String() shows it (what goja prints), whatever it is. */
function describe(value: unknown): string {
  let text: string;
  try {
    text = String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}… (${text.length - MAX_MESSAGE} more characters)` : text;
}

/**
 * goja names a frame by its function alone: V8's `async`, `new`, `Type.` and `[as alias]` go, and an
 * anonymous default export (named by the transform or esbuild) stays anonymous.
 */
function frameName(raw: string | undefined, anonymousDefault: string): string | undefined {
  if (raw === undefined) return undefined;
  let name = raw.replace(/^new /, '').replace(/ \[as [^\]]*\]$/, '');
  const dot = name.lastIndexOf('.');
  if (dot >= 0) name = name.slice(dot + 1);
  if (name === '' || name === '<anonymous>' || name === anonymousDefault) return undefined;
  return name;
}

/** The stack's frames that are in the script's own files, as goja writes them. */
function scriptFrames(stack: string, script: CompiledScript | undefined): string[] {
  const frames: string[] = [];
  if (!script) return frames;
  for (const line of stack.split('\n')) {
    const m = V8_FRAME.exec(line);
    if (!m) continue;
    const mod = script.modules.get(m[2]!);
    if (!mod) continue;
    const line1 = Number(m[3]);
    const column0 = Number(m[4]) - 1;
    const at = mod.originalPosition(line1, column0) ?? { line: line1, column: column0 };
    const location = `${pathToFileURL(mod.id).href}:${at.line}:${at.column}`;
    const name = frameName(m[1], mod.anonymousDefault);
    frames.push(name === undefined ? `\tat ${location}` : `\tat ${name} (${location})`);
    if (frames.length === MAX_FRAMES) break;
  }
  return frames;
}

function stackOf(error: unknown, thrown: ThrownValue | undefined): string | undefined {
  if (error instanceof Error) return typeof error.stack === 'string' ? error.stack : undefined;
  return thrown && Object.is(thrown.value, error) ? thrown.stack : undefined;
}

export function harnessDebug(): boolean {
  return Boolean(process.env['HARNESS_DEBUG']);
}

/**
 * The text k6 logs for a script exception (no trailing newline). `thrown` is the VU's record of its
 * last non-Error throw, which gives a thrown string its frames.
 */
export function formatScriptException(error: unknown, script: CompiledScript | undefined, thrown?: ThrownValue, debug = harnessDebug()): string {
  const header = describe(error);
  const stack = stackOf(error, thrown);
  // V8's stack starts with the message, which can span lines; frames are only looked for after it.
  const frameText = stack === undefined ? '' : stack.startsWith(header) ? stack.slice(header.length) : stack;
  const lines = [header, ...scriptFrames(frameText, script)];
  if (debug && stack !== undefined) lines.push(`HARNESS_DEBUG: the engine's stack:\n${stack}`);
  return lines.join('\n');
}
