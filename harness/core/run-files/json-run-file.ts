import { z } from 'zod';
import { clip, readTextIfPresent, writeTextAtomically } from './file-text.ts';
import { RunFileError, type RunFileKind } from './run-file-error.ts';

/**
 * A JSON file of a run directory with a versioned format: one schema for the version this harness
 * writes, and for each older version it still reads, a schema that parses a file of that version
 * into the current shape (the migration). A file says its version in `schemaVersion`; one that says
 * none is of `unversioned` (files written before their format had a version), or read against the
 * current schema, which then says what is missing.
 */
export interface JsonRunFileFormat<Data, Written = Data> {
  kind: RunFileKind;
  /** What a file of the wrong shape is not, e.g. "not a run manifest". */
  mismatch: string;
  /** The version this harness writes. */
  version: number;
  /** That version, as written. */
  schema: z.ZodType<Data, Written>;
  /** Older versions → a schema reading one into the current shape. When the current version changes, each must end in the new shape. */
  older?: Readonly<Record<number, z.ZodType<Data>>>;
  /** The version of a file that says none: the format's from before it said its version. */
  unversioned?: number;
}

export interface JsonRunFile<Data, Written = Data> {
  /** The file, of any version this harness reads, in the current shape. */
  read(file: string): Promise<Data>;
  /** Like read; undefined when the file does not exist. */
  readIfPresent(file: string): Promise<Data | undefined>;
  /** JSON already read from `file`. */
  parse(json: unknown, file: string): Data;
  /**
   * Checked against the current version's schema first, so that a writer never writes what a reader
   * would refuse; written as given (a schema names what readers use, the file may record more).
   */
  write(file: string, value: Written): Promise<void>;
}

export function jsonRunFile<Data, Written = Data>(format: JsonRunFileFormat<Data, Written>): JsonRunFile<Data, Written> {
  const parse = (json: unknown, file: string): Data => {
    const parsed = readerOf(format, file, json).safeParse(json);
    if (!parsed.success) throw new RunFileError(file, `${format.mismatch}: ${z.prettifyError(parsed.error)}`, format.kind);
    return parsed.data;
  };
  const readIfPresent = async (file: string): Promise<Data | undefined> => {
    const text = await readTextIfPresent(file, format.kind);
    return text === undefined ? undefined : parse(parseJsonText(file, text, format.kind), file);
  };
  return {
    parse,
    readIfPresent,
    read: async (file) => {
      const data = await readIfPresent(file);
      if (data === undefined) throw new RunFileError(file, 'missing', format.kind);
      return data;
    },
    write: async (file, value) => {
      format.schema.parse(value);
      await writeTextAtomically(file, `${JSON.stringify(value, null, 2)}\n`);
    },
  };
}

/** The schema for the version the file says it is; a version this harness does not read is refused, saying which it reads. */
function readerOf<Data>(format: JsonRunFileFormat<Data, unknown>, file: string, json: unknown): z.ZodType<Data> {
  const said = typeof json === 'object' && json !== null && 'schemaVersion' in json ? json.schemaVersion : undefined;
  const version = said ?? format.unversioned;
  // A file that says no version, of a format that always says one, is not of that format at all: the schema says what is wrong.
  if (version === format.version || version === undefined) return format.schema;
  const older = typeof version === 'number' ? format.older?.[version] : undefined;
  if (older !== undefined) return older;
  const readable = [...Object.keys(format.older ?? {}).map(Number), format.version].sort((a, b) => a - b);
  const newer = typeof said === 'number' && said > format.version;
  throw new RunFileError(file, `schema version ${JSON.stringify(version)}, this harness reads ${versionList(readable)}`, format.kind, {
    ...(newer ? { hint: `A newer harness wrote it: read it with that harness (this one writes version ${format.version}).` } : {}),
  });
}

/** "version 4", "versions 1 and 2", "versions 1, 2 and 3". */
function versionList(versions: readonly number[]): string {
  if (versions.length === 1) return `version ${versions[0]}`;
  return `versions ${versions.slice(0, -1).join(', ')} and ${versions.at(-1)}`;
}

/** JSON.parse, refusing a file that is not JSON with the line where it stops being JSON when V8 says where. */
export function parseJsonText(file: string, text: string, kind: RunFileKind): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const line = lineOfJsonError(text, reason);
    throw new RunFileError(file, `not valid JSON${line === undefined ? '' : ` (line ${line})`}: ${clip(reason)}`, kind, { cause: error });
  }
}

function lineOfJsonError(text: string, reason: string): number | undefined {
  const position = /at position (\d+)/.exec(reason)?.[1];
  const offset = position !== undefined ? Number(position) : /Unexpected end of JSON input/.test(reason) ? text.trimEnd().length : undefined;
  if (offset === undefined) return undefined;
  return text.slice(0, offset).split('\n').length;
}
