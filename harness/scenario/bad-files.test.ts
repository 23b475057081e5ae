/**
 * Issue 11's reproducers for scenario files: what YAML, bytes and sizes can do to the reader. Each
 * answer is a ScenarioError (exit code 2) whose lines name the file (with a line and column when
 * there is one) or a field, cut to a readable length; never a crash, a hang or a stack trace.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { REPO_ROOT } from '../core/paths.ts';
import { ScenarioError } from './errors.ts';
import { loadScenario } from './load-scenario.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'scenario-bad-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

function write(name: string, content: string | Uint8Array): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

async function errorOf(file: string): Promise<ScenarioError> {
  const error = await loadScenario(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ScenarioError)) throw new Error(`expected a ScenarioError, got ${error instanceof Error ? error.stack : String(error)}`);
  expect(error.exitCode).toBe(2);
  expect(error.message).not.toMatch(/Maximum call stack|\n\s+at /);
  for (const line of error.problems) expect(line.length).toBeLessThanOrEqual(500);
  return error;
}

/** A valid scenario, its script path absolute so that it resolves from the temporary directory. */
const VALID = `name: from a file
architectures: [stateless]
replicas: 2
load:
  script: ${path.join(REPO_ROOT, 'k6-scripts', 'browse.ts')}
  vus: 2
  duration: 10s
`;

describe('YAML aliases and merge keys', () => {
  it('an alias inside the node it names: a line with the alias, not "Maximum call stack size exceeded"', async () => {
    const file = write('cycle.yaml', 'a: &a [*a]\n');
    expect((await errorOf(file)).problems).toEqual([`${file}:1:8: alias *a is not allowed; expected an alias outside the node it names (&a contains it)`]);
  });

  it('an alias to no anchor', async () => {
    const file = write('unresolved.yaml', 'a: *nope\n');
    expect((await errorOf(file)).problems).toEqual([`${file}:1:4: alias *nope is not allowed; expected an alias of an anchor set before it (&nope)`]);
  });

  it('a merge key with something other than a mapping', async () => {
    const file = write('merge.yaml', '<<: 5\n');
    expect((await errorOf(file)).problems).toEqual([`${file}:1:5: 5 after "<<" is not allowed; expected a mapping, an alias of one, or a list of them (a merge key copies mappings)`]);
    const list = write('merge-list.yaml', 'm: &m {a: 1}\nx:\n  <<: [*m, 3]\n');
    expect((await errorOf(list)).problems).toEqual([`${list}:3:7: [*m, 3] after "<<" is not allowed; expected a mapping, an alias of one, or a list of them (a merge key copies mappings)`]);
  });

  it('merge keys that copy mappings still work', async () => {
    const file = write('merge-ok.yaml', `${VALID}app:\n  env:\n    <<: &common {SNAPSHOT_EVERY_EVENTS: 500}\n    LOG_REQUESTS: "0"\n`);
    const scenario = await loadScenario(file);
    expect(scenario.trials[0]?.appEnv).toEqual({ SNAPSHOT_EVERY_EVENTS: '500', LOG_REQUESTS: '0' });
  });

  it('an alias bomb (five levels of nine aliases): one line, quickly', async () => {
    let text = 'a: &a [x, x, x, x, x, x, x, x, x]\n';
    let previous = 'a';
    for (const name of ['b', 'c', 'd', 'e', 'f']) {
      text += `${name}: &${name} [${Array.from({ length: 9 }, () => `*${previous}`).join(', ')}]\n`;
      previous = name;
    }
    const started = performance.now();
    const error = await errorOf(write('bomb.yaml', text));
    expect(performance.now() - started).toBeLessThan(2000);
    expect(error.problems).toEqual(['scenario: more than 20,000 values (aliases counted each time they are used) is not allowed; expected at most 20,000 (a scenario has a few hundred)']);
  });

  it('a mapping as a key: a line, and no warning from the YAML library on stderr', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const file = write('map-key.yaml', '? [a]\n: 1\nname: x\n');
    expect((await errorOf(file)).problems).toContain(`${file}:1:3: a list as a key is not allowed; expected a name`);
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('bytes that are not UTF-8 text', () => {
  it('Latin-1 is refused where it stops being UTF-8, not read as U+FFFD', async () => {
    const file = write('latin1.yaml', Buffer.from(VALID.replace('from a file', 'caf\u00e9'), 'latin1'));
    expect((await errorOf(file)).problems).toEqual([`${file}:1:10: byte 0xE9 is not allowed; expected UTF-8 text (save the file as UTF-8)`]);
  });

  it('UTF-16, with or without a byte order mark, is called UTF-16', async () => {
    const expected = (file: string): string[] => [`${file}: UTF-16 text is not allowed; expected UTF-8 text (save the file as UTF-8)`];
    const le = write('utf16le.yaml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(VALID, 'utf16le')]));
    expect((await errorOf(le)).problems).toEqual(expected(le));
    const be = write('utf16be.yaml', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(VALID, 'utf16le').swap16()]));
    expect((await errorOf(be)).problems).toEqual(expected(be));
    const bare = write('utf16-no-bom.yaml', Buffer.from(VALID, 'utf16le'));
    expect((await errorOf(bare)).problems).toEqual(expected(bare));
  });

  it('a UTF-8 byte order mark is fine', async () => {
    const file = write('bom.yaml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(VALID)]));
    expect((await loadScenario(file)).name).toBe('from a file');
  });

  it('control characters are refused with their position', async () => {
    const file = write('nul.yaml', VALID.replace('name: from a file', 'name: from\u0000a file'));
    expect((await errorOf(file)).problems).toEqual([`${file}:1:11: control character U+0000 is not allowed; expected printable text (tab, line breaks and printable Unicode)`]);
  });

  it('a binary file: one short line (1 MB: its size; 200 KB: its first byte that is not UTF-8)', async () => {
    let state = 11;
    const random = (length: number): Buffer =>
      Buffer.from(Array.from({ length }, () => {
        state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
        return state >>> 16 & 0xff;
      }));
    const big = await errorOf(write('binary.yaml', random(1_000_000)));
    expect(big.problems).toEqual([expect.stringMatching(/binary\.yaml: 1,000,000 bytes is not allowed; expected a file of at most 262,144 bytes/)]);
    const small = await errorOf(write('binary-small.yaml', random(200_000)));
    expect(small.problems).toEqual([expect.stringMatching(/binary-small\.yaml:\d+:\d+: byte 0x[0-9A-F]{2} is not allowed; expected UTF-8 text \(save the file as UTF-8\)$/)]);
  });

  it('printable garbage: its syntax errors are cut to a readable length and count', async () => {
    const text = Array.from({ length: 1500 }, (_, i) => `${'}'.repeat(i % 7)}:{x${'y'.repeat(i % 100)} :: [`).join('\n');
    const error = await errorOf(write('garbage.yaml', text));
    expect(error.problems.length).toBeLessThanOrEqual(30);
    expect(error.hint).toMatch(/the first 30 shown/);
  });
});

describe('sizes', () => {
  it('a file over 256 KiB is refused before it is parsed', async () => {
    const file = write('big-script.yaml', VALID.replace(/script: .*/, `script: k6-scripts/${'x'.repeat(1_000_000)}.ts`));
    const size = statSync(file).size.toLocaleString('en-US');
    expect((await errorOf(file)).problems).toEqual([`${file}: ${size} bytes is not allowed; expected a file of at most 262,144 bytes (256 KiB; a scenario is a few KB)`]);
  });

  it('a 200 KB load.script: one short line, the path not quoted twice', async () => {
    const file = write('long-script.yaml', VALID.replace(/script: .*/, `script: k6-scripts/${'x'.repeat(200_000)}.ts`));
    const lines = (await errorOf(file)).problems;
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^load\.script: "k6-scripts\/x+… is not allowed; expected a path of at most 1024 characters to a \.js or \.ts k6 script$/);
  });

  it('1,000+ levels of nesting: one line with where it gets too deep, not "Maximum call stack size exceeded" (twice)', async () => {
    const flow = write('deep-flow.yaml', `a: ${'['.repeat(1500)}${']'.repeat(1500)}\n`);
    expect((await errorOf(flow)).problems).toEqual([`${flow}:1:35: nesting deeper than 32 levels is not allowed; expected at most 32 levels (a scenario has 5)`]);
    const maps = write('deep-maps.yaml', `a: ${'{a: '.repeat(1200)}1${'}'.repeat(1200)}\n`);
    expect((await errorOf(maps)).problems).toEqual([`${maps}:1:128: nesting deeper than 32 levels is not allowed; expected at most 32 levels (a scenario has 5)`]);
    // Block style needs an indent per level: 600 levels fit in the 256 KiB a file may have.
    const block = write('deep-block.yaml', Array.from({ length: 600 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n'));
    expect((await errorOf(block)).problems).toEqual([`${block}:33:33: nesting deeper than 32 levels is not allowed; expected at most 32 levels (a scenario has 5)`]);
  });

  it('a mapping of 30,000 keys is refused before its keys are compared (which takes quadratic time)', async () => {
    const text = `${VALID}x:\n${Array.from({ length: 30_000 }, (_, i) => `  k${i}: 1`).join('\n')}\n`;
    const started = performance.now();
    const error = await errorOf(write('wide.yaml', text.slice(0, 262_144 - 10)));
    expect(performance.now() - started).toBeLessThan(3000);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/:9:3: a mapping of [\d,]+ entries is not allowed; expected at most 1,000 entries in one mapping or list$/);
  });
});

describe('names', () => {
  it('counts characters, not UTF-16 units: 100 emoji are a name, 101 are not', async () => {
    const hundred = write('emoji.yaml', VALID.replace('from a file', '😀'.repeat(100)));
    expect((await loadScenario(hundred)).name).toBe('😀'.repeat(100));
    const more = write('emoji-101.yaml', VALID.replace('from a file', '😀'.repeat(101)));
    expect((await errorOf(more)).problems[0]).toMatch(/^name: "😀{58}… is not allowed; expected a name of 1 to 100 printable characters on one line$/u);
  });
});

describe('the shipped scenarios', () => {
  it('are far inside every limit', () => {
    for (const name of ['default.yaml', 'recovery.yaml', 'bank-every-fault.yaml']) {
      expect(readFileSync(path.join(REPO_ROOT, 'harness', 'scenarios', name)).length).toBeLessThan(4096);
    }
  });
});
