/**
 * Reads the fixtures recorded from PostgreSQL 15 by test/tools/codec-oracle.ts and compares
 * Eventide's answers with them: the same output text, or an error with the same SQLSTATE,
 * message, detail and hint.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DbError } from '../../../storage/errors.js';
import { numericTypmod } from '../../../storage/numeric.js';
import { Types, withTypmod, type DataType } from '../../../storage/types.js';
import { defaultFormatSettings, type FormatSettings } from '../../../storage/value-codecs.js';

export interface RecordedError {
  readonly code: string;
  readonly message: string;
  readonly detail?: string;
  readonly hint?: string;
}

export interface FixtureSettings {
  readonly timeZone?: string;
  readonly dateStyle?: string;
  readonly extraFloatDigits?: number;
  readonly intervalStyle?: string;
}

export interface Recorded {
  readonly settings?: FixtureSettings;
  readonly output?: unknown;
  readonly error?: RecordedError;
}

const directory = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

export function loadFixture<T extends Recorded>(name: string): T[] {
  return JSON.parse(readFileSync(join(directory, name), 'utf8')) as T[];
}

export function settingsOf(settings: FixtureSettings | undefined): FormatSettings {
  return { ...defaultFormatSettings, ...settings };
}

const baseTypes: Record<string, DataType> = {
  boolean: Types.bool,
  smallint: Types.int2,
  integer: Types.int4,
  bigint: Types.int8,
  real: Types.float4,
  'double precision': Types.float8,
  numeric: Types.numeric,
  text: Types.text,
  'character varying': Types.varchar,
  date: Types.date,
  'timestamp without time zone': Types.timestamp,
  'timestamp with time zone': Types.timestamptz,
  jsonb: Types.jsonb,
  interval: Types.interval,
};

/** A DataType from its SQL spelling, modifiers included: numeric(5,2), timestamp(3) with time zone. */
export function typeFromSql(sql: string): DataType {
  const base = baseTypes[sql];
  if (base !== undefined) return base;
  const numeric = /^numeric\((\d+)(?:,(-?\d+))?\)$/.exec(sql);
  if (numeric !== null) return withTypmod(Types.numeric, numericTypmod(Number(numeric[1]), Number(numeric[2] ?? 0)));
  const varchar = /^character varying\((\d+)\)$/.exec(sql);
  if (varchar !== null) return withTypmod(Types.varchar, Number(varchar[1]) + 4);
  const timestamp = /^timestamp\((\d)\) (with|without) time zone$/.exec(sql);
  if (timestamp !== null) {
    return withTypmod(timestamp[2] === 'with' ? Types.timestamptz : Types.timestamp, Number(timestamp[1]));
  }
  throw new Error(`unknown SQL type in fixture: ${sql}`);
}

export type Outcome = { output: unknown } | { error: RecordedError };

/** Runs `compute`, turning a DbError into the recorded error shape. */
export function outcomeOf(compute: () => unknown): Outcome {
  try {
    return { output: compute() };
  } catch (error) {
    if (!(error instanceof DbError)) throw error;
    const recorded: { code: string; message: string; detail?: string; hint?: string } = {
      code: error.code,
      message: error.message,
    };
    if (error.fields.detail !== undefined) recorded.detail = error.fields.detail;
    if (error.fields.hint !== undefined) recorded.hint = error.fields.hint;
    return { error: recorded };
  }
}

export function expectedOf(recorded: Recorded): Outcome {
  return recorded.error !== undefined ? { error: recorded.error } : { output: recorded.output };
}

/**
 * Compares every case and returns a readable line per mismatch (empty when all agree); the
 * case's own fields say what was asked.
 */
export function mismatches<T extends Recorded>(cases: readonly T[], run: (c: T) => Outcome): string[] {
  const out: string[] = [];
  for (const c of cases) {
    const expected = expectedOf(c);
    const actual = run(c);
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      const { output: _output, error: _error, ...question } = c as Recorded & Record<string, unknown>;
      out.push(`${JSON.stringify(question)}\n    expected ${JSON.stringify(expected)}\n    actual   ${JSON.stringify(actual)}`);
    }
  }
  return out;
}
