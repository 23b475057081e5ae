/**
 * How much a scenario file may be, checked before anything walks it: whatever the bytes, reading
 * ends in a Scenario or in a few short lines, within a second. The shipped scenarios are under
 * 2 KB, 5 levels deep and a few hundred values; every limit is far above that.
 */

/** Bytes read at most: parsing 256 KiB of the worst YAML (one-character items) takes ~0.6 s here. */
export const MAX_FILE_BYTES = 256 * 1024;

/**
 * Levels of nested lists and mappings. A scenario has 5 (architectures[0].app.env); the YAML
 * library composes documents recursively and runs out of stack at a few hundred.
 */
export const MAX_DEPTH = 32;

/**
 * Values in the whole document, an alias counting as many values as it stands for: every later
 * step (schema, rules, messages) walks them, so an alias bomb (nine aliases of nine aliases …)
 * would multiply their work. 100 faults and 100 stages with every field are under 1,000.
 */
export const MAX_VALUES = 20_000;

/**
 * Entries in one list or mapping (the longest a scenario allows: 100 faults, 100 stages, 100 env
 * variables). The YAML library checks a mapping's keys for duplicates pairwise, in quadratic time:
 * 30,000 keys take minutes.
 */
export const MAX_ENTRIES = 1_000;

/** Characters in one problem line; the value in it is cut shorter still (problems.ts). */
export const MAX_LINE_CHARS = 500;

/** Problem lines shown; the hint says how many there are in all. */
export const MAX_LINES = 30;
