/**
 * The statements whose results node `pg` receives, in text and binary result formats, that must be
 * the same from Eventide as from PostgreSQL 15. `runTypeCases` runs them against any server and
 * returns a JSON-safe record: the fixture `clients-types.postgres.json` is that record taken from
 * a real PostgreSQL 15 (see README.md for how to record it again).
 */
import pg from 'pg';
import { WireClient, type RawResult } from './clients-wire-client.js';

export const fixtureFile = new URL('./clients-types.postgres.json', import.meta.url);

const columns =
  'id int4, b bool, i2 int2, i4 int4, i8 int8, f4 float4, f8 float8, n numeric, t text, v varchar(20), ' +
  'd date, ts timestamp, tstz timestamptz, j jsonb';

/** Run once, in order, before the cases. Their own results are not compared. */
export const setupStatements: readonly string[] = [
  "SET TimeZone = 'UTC'",
  'DROP TABLE IF EXISTS typed',
  `CREATE TABLE typed (${columns})`,
  `INSERT INTO typed VALUES
    (1, true, 32767, 2147483647, 9223372036854775807, 3.14, 2.718281828459045, 12345.6789, 'hello', 'wörld',
     '2024-02-29', '2024-02-29 12:34:56.789012', '2024-02-29 12:34:56.5+02', '{"b": 1, "a": [1, 2.50, {"c": null}]}'),
    (2, false, -32768, -2147483648, -9223372036854775808, -1.5e-10, -1e300, -0.000001, '', 'x',
     '1970-01-01', '1999-12-31 23:59:59', '2000-01-01 00:00:00+00', '[]'),
    (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    (4, true, 0, 0, 0, 'NaN', 'Infinity', 0, 'tab\tquote''s "dq" back\\slash', '日本語 ✓ 🎉',
     '1901-12-14', '1901-12-14 00:00:00', '2100-01-01 00:00:00.000001+00', '"a string"'),
    (5, false, 1, -1, 4294967296, '-Infinity', 'NaN', 100000000000000000000.00, 'line1
line2', 'v',
     '2255-12-31', '2038-01-19 03:14:08', '1970-01-01 00:00:00-08', '{"bb": 1, "a": {"nested": [true, false, null]}, "n": 123.4500}'),
    (6, true, 7, 1000000, -4294967297, 1e-30, 5e-324, -99999999999999999999.999999999, ' padded ', '',
     '2000-02-29', '2000-02-29 23:59:59.999999', '1999-12-31 23:59:59.999999+00', '123.4500')`,
];

export interface TypeCase {
  readonly name: string;
  readonly text: string;
  readonly values?: readonly unknown[];
  /** Prepared under this name (named statement); otherwise the unnamed statement. */
  readonly statementName?: string;
  /** 'simple' forces the simple query protocol (no values); 'extended' forces Parse/Bind/Execute. */
  readonly mode: 'simple' | 'extended';
}

const selectAll = 'SELECT id, b, i2, i4, i8, f4, f8, n, t, v, d, ts, tstz, j FROM typed ORDER BY id';

export const typeCases: readonly TypeCase[] = [
  { name: 'all types, simple protocol', text: selectAll, mode: 'simple' },
  { name: 'all types, extended protocol', text: selectAll, mode: 'extended' },
  { name: 'all types, named prepared statement', text: selectAll, mode: 'extended', statementName: 'typed_all' },
  {
    name: 'one row by parameter',
    text: 'SELECT id, b, i2, i4, i8, f4, f8, n, t, v, d, ts, tstz, j FROM typed WHERE id = $1',
    values: [1],
    mode: 'extended',
    statementName: 'typed_by_id',
  },
  {
    name: 'parameters of every type, compared in SQL',
    text:
      'SELECT id FROM typed WHERE b = $1 AND i2 = $2 AND i4 = $3 AND i8 = $4 AND n = $5 AND t = $6 AND v = $7 ' +
      'AND d = $8 AND ts = $9 AND tstz = $10 ORDER BY id',
    values: [true, 32767, 2147483647, '9223372036854775807', '12345.6789', 'hello', 'wörld', '2024-02-29',
      '2024-02-29 12:34:56.789012', '2024-02-29T10:34:56.500Z'],
    mode: 'extended',
  },
  {
    name: 'literals and casts',
    text:
      "SELECT 1 AS int4_lit, 3000000000 AS int8_lit, 1.50 AS numeric_lit, 'abc' AS text_lit, true AS bool_lit, " +
      "NULL::int4 AS null_int, 2.5::float8 AS f8, '7'::int2 AS i2, '2024-01-02'::date AS d, " +
      "'2024-01-02 03:04:05.25'::timestamp AS ts, '2024-01-02 03:04:05.25+01'::timestamptz AS tstz, " +
      '\'{"k": [1, "x"]}\'::jsonb AS j, 12.5::float4 AS f4, \'x\'::varchar(3) AS vc',
    mode: 'simple',
  },
  {
    name: 'aggregates and their result types',
    text:
      'SELECT count(*) AS n_rows, count(b) AS n_b, sum(i2) AS s2, sum(i4) AS s4, sum(i8) AS s8, min(n) AS min_n, ' +
      'max(n) AS max_n, min(d) AS min_d, max(ts) AS max_ts, min(tstz) AS min_tstz, max(t) AS max_t FROM typed',
    mode: 'simple',
  },
  {
    name: 'inserted through parameters, read back',
    text: 'SELECT id, b, i2, i4, i8, f4, f8, n, t, v, d, ts, tstz, j FROM typed WHERE id >= 100 ORDER BY id',
    mode: 'extended',
  },
  {
    name: 'timestamptz in a non-UTC session time zone',
    text: 'SELECT id, tstz, ts, d FROM typed WHERE tstz IS NOT NULL ORDER BY id',
    mode: 'simple',
  },
];

/** Statements run between cases, by the name of the case they precede. */
export const beforeCase: Readonly<Record<string, { text: string; values?: readonly unknown[] }[]>> = {
  'inserted through parameters, read back': [
    {
      text: 'INSERT INTO typed VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)',
      values: [100, true, -7, 123456, '-9007199254740993', 0.5, 0.1, '-3.50', 'param text', 'vc',
        '2023-06-15', '2023-06-15 10:20:30.123456', new Date(Date.UTC(2023, 5, 15, 10, 20, 30, 123)), { k: [1, 'two', null] }],
    },
    {
      text: 'INSERT INTO typed VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)',
      values: [101, null, null, null, null, null, null, null, null, null, null, null, null, null],
    },
  ],
  'timestamptz in a non-UTC session time zone': [{ text: "SET TimeZone = 'Europe/Berlin'" }],
};

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Values as the client got them, made JSON-safe without losing what tells them apart. */
export function encodeValue(value: unknown): Json {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (Number.isNaN(value) || !Number.isFinite(value) || Object.is(value, -0)) return { $number: String(Object.is(value, -0) ? '-0' : value) };
    return value;
  }
  if (typeof value === 'bigint') return { $bigint: value.toString() };
  if (value instanceof Date) return { $date: Number.isNaN(value.getTime()) ? 'invalid' : value.toISOString() };
  if (Buffer.isBuffer(value)) return { $bytes: value.toString('hex') };
  if (Array.isArray(value)) return value.map(encodeValue);
  if (typeof value === 'object') {
    const out: { [key: string]: Json } = {};
    for (const [key, inner] of Object.entries(value)) out[key] = encodeValue(inner);
    return out;
  }
  return { $unsupported: String(value) };
}

export interface FieldRecord {
  name: string;
  dataTypeID: number;
  dataTypeSize: number;
  dataTypeModifier: number;
  format: string;
}

export interface FormatRecord {
  fields: FieldRecord[];
  /** Rows as node pg parses them by default (Dates, numbers, objects ...). */
  parsed: Json[][];
  /** Rows with pg's parsers replaced by identity: the text, or the bytes, the client received. */
  raw: Json[][];
  command: string;
  rowCount: number | null;
}

/** The exact bytes on the wire for binary results (pg's own binary values are decoded lossily). */
export interface WireRecord {
  fields: FieldRecord[];
  rows: (string | null)[][];
  command: string | null;
}

export type CaseRecord = { text: FormatRecord; binary: FormatRecord; wireBinary: WireRecord } | { error: string };

export type TypesRecord = Record<string, CaseRecord>;

/** Identity parsers: text arrives as a string, binary as a Buffer (pg makes one per value). */
const rawTypes = { getTypeParser: () => (value: string | Buffer) => value };

async function runOne(client: pg.Client, testCase: TypeCase, binary: boolean, raw: boolean): Promise<pg.QueryResult> {
  const config: pg.QueryConfig & { binary?: boolean; queryMode?: string; types?: unknown } = {
    text: testCase.text,
  } as pg.QueryConfig;
  if (testCase.values !== undefined) config.values = [...testCase.values];
  if (testCase.statementName !== undefined) config.name = `${testCase.statementName}_${binary ? 'b' : 't'}_${raw ? 'r' : 'p'}`;
  if (testCase.mode === 'extended' || binary) config.queryMode = 'extended';
  if (binary) config.binary = true;
  if (raw) config.types = rawTypes;
  return client.query(config as pg.QueryConfig);
}

/** Object rows (pg applies binary parsers only to object rows) back into column order. */
function rowsInFieldOrder(result: pg.QueryResult): Json[][] {
  return result.rows.map((row: Record<string, unknown>) => result.fields.map((f) => encodeValue(row[f.name])));
}

function formatRecord(parsed: pg.QueryResult, raw: pg.QueryResult): FormatRecord {
  return {
    fields: parsed.fields.map((f) => ({
      name: f.name,
      dataTypeID: f.dataTypeID,
      dataTypeSize: f.dataTypeSize,
      dataTypeModifier: f.dataTypeModifier,
      format: f.format,
    })),
    parsed: rowsInFieldOrder(parsed),
    raw: rowsInFieldOrder(raw),
    command: parsed.command,
    rowCount: parsed.rowCount,
  };
}

function wireRecord(result: RawResult): WireRecord {
  if (result.errorCode !== null) throw Object.assign(new Error(`error ${result.errorCode}`), { code: result.errorCode });
  return {
    fields: result.fields.map((f) => ({
      name: f.name,
      dataTypeID: f.typeOid,
      dataTypeSize: f.typeSize,
      dataTypeModifier: f.typeModifier,
      format: f.format === 1 ? 'binary' : 'text',
    })),
    rows: result.rows.map((row) => row.map((value) => (value === null ? null : value.toString('hex')))),
    command: result.commandTag,
  };
}

function asTextParameter(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

/**
 * Runs the setup and every case on one pg connection, in both result formats, and the binary
 * format once more on a raw connection for its exact bytes. A simple-protocol case cannot ask for
 * binary results, so its binary records are taken through the extended protocol.
 */
export async function runTypeCases(config: { host: string; port: number; user: string; database: string }): Promise<TypesRecord> {
  const client = new pg.Client(config);
  await client.connect();
  const wire = await WireClient.open(config.host, config.port);
  try {
    await wire.startup(config.user, config.database);
    for (const statement of setupStatements) await client.query(statement);
    await wire.simpleQuery("SET TimeZone = 'UTC'");
    const record: TypesRecord = {};
    for (const testCase of typeCases) {
      for (const before of beforeCase[testCase.name] ?? []) {
        await client.query(before.text, before.values === undefined ? undefined : [...before.values]);
        if (before.text.startsWith('SET ')) await wire.simpleQuery(before.text);
      }
      try {
        const text = formatRecord(await runOne(client, testCase, false, false), await runOne(client, testCase, false, true));
        const binary = formatRecord(await runOne(client, testCase, true, false), await runOne(client, testCase, true, true));
        const values = (testCase.values ?? []).map(asTextParameter);
        const wireBinary = wireRecord(await wire.extendedQuery(testCase.text, values, true));
        record[testCase.name] = { text, binary, wireBinary };
      } catch (error) {
        record[testCase.name] = { error: (error as { code?: string }).code ?? String(error) };
      }
    }
    return record;
  } finally {
    wire.close();
    await client.end();
  }
}
