/**
 * Records the expected behaviour of the value codecs from a throwaway PostgreSQL 15: runs every
 * case of codec-oracle-*cases.ts through PostgreSQL's own input, output, send and cast functions
 * and writes test/unit/codecs/fixtures/*.json (the input, and PostgreSQL's output or error).
 *
 *   npx vite-node test/tools/codec-oracle.ts            (or: npm run build, then
 *   node dist/test/tools/codec-oracle.js)
 *
 * Values go in as query parameters, so each reaches the type's input function exactly as given
 * (binary receive cases are sent as binary parameters); results come back as raw text.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { postgresClientConfig, startPostgres } from '../support/postgres.js';
import {
  assignmentCases,
  booleanCases,
  floatCases,
  integerCases,
  jsonbCases,
  numericInputCases,
  numericOpCases,
  textCases,
  type NumericOpCase,
  type Settings,
  type TextCase,
} from './codec-oracle-cases.js';
import { dateTimeInputCases, instantOutputCases } from './codec-oracle-time-cases.js';
import { intervalCases, intervalSendCases } from './codec-oracle-interval-cases.js';
import { binaryReceiveCases, binarySendCases, castCases, type CastCase, type ReceiveCase } from './codec-oracle-wire-cases.js';

export interface RecordedError {
  readonly code: string;
  readonly message: string;
  readonly detail?: string;
  readonly hint?: string;
}

type Outcome = { output: (string | null)[] } | { error: RecordedError };

const rawText = (value: string) => value;
const rawTypes = { getTypeParser: () => rawText } as unknown as pg.CustomTypesConfig;

/** The repository root: the nearest directory with a package.json (from the source or from dist/). */
function repositoryRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(directory, 'package.json'))) {
    const parent = dirname(directory);
    if (parent === directory) throw new Error('package.json not found above the oracle script');
    directory = parent;
  }
  return directory;
}

const fixtureDirectory = resolve(repositoryRoot(), 'test/unit/codecs/fixtures');

class Oracle {
  private current = '';

  constructor(private readonly client: pg.Client) {}

  async apply(settings: Settings | undefined): Promise<void> {
    const timeZone = settings?.timeZone ?? 'UTC';
    const dateStyle = settings?.dateStyle ?? 'ISO, MDY';
    const digits = settings?.extraFloatDigits ?? 1;
    const intervalStyle = settings?.intervalStyle ?? 'postgres';
    const key = `${timeZone}|${dateStyle}|${digits}|${intervalStyle}`;
    if (key === this.current) return;
    await this.client.query(`SET IntervalStyle = '${intervalStyle}'`);
    await this.client.query(`SET TimeZone = '${timeZone}'`);
    await this.client.query(`SET DateStyle = '${dateStyle}'`);
    await this.client.query(`SET extra_float_digits = ${digits}`);
    this.current = key;
  }

  async run(sql: string, values: unknown[], settings?: Settings): Promise<Outcome> {
    await this.apply(settings);
    try {
      const result = await this.client.query({ text: sql, values, rowMode: 'array' });
      const row = (result.rows[0] ?? []) as (string | null)[];
      return { output: row };
    } catch (error) {
      if (!(error instanceof pg.DatabaseError) || error.code === undefined) throw error;
      const recorded: { code: string; message: string; detail?: string; hint?: string } = {
        code: error.code,
        message: error.message,
      };
      if (error.detail !== undefined) recorded.detail = error.detail;
      if (error.hint !== undefined) recorded.hint = error.hint;
      return { error: recorded };
    }
  }
}

function withOutcome<T extends object>(input: T, outcome: Outcome, single = true): T & Record<string, unknown> {
  if ('error' in outcome) return { ...input, error: outcome.error };
  return { ...input, output: single ? outcome.output[0] : outcome.output };
}

async function recordText(oracle: Oracle, cases: TextCase[]): Promise<object[]> {
  const out: object[] = [];
  for (const c of cases) out.push(withOutcome(c, await oracle.run(`SELECT $1::${c.type}`, [c.input], c.settings)));
  return out;
}

const numericOpSql: Record<string, string> = {
  add: 'SELECT $1::numeric + $2::numeric',
  sub: 'SELECT $1::numeric - $2::numeric',
  mul: 'SELECT $1::numeric * $2::numeric',
  div: 'SELECT $1::numeric / $2::numeric',
  mod: 'SELECT $1::numeric % $2::numeric',
  cmp: 'SELECT CASE WHEN $1::numeric < $2::numeric THEN -1 WHEN $1::numeric = $2::numeric THEN 0 ELSE 1 END',
  round: 'SELECT round($1::numeric, $2::int)',
  trunc: 'SELECT trunc($1::numeric, $2::int)',
  abs: 'SELECT abs($1::numeric)',
  neg: 'SELECT -($1::numeric)',
  to_int2: 'SELECT $1::numeric::int2',
  to_int4: 'SELECT $1::numeric::int4',
  to_int8: 'SELECT $1::numeric::int8',
  to_float4: 'SELECT $1::numeric::float4',
  to_float8: 'SELECT $1::numeric::float8',
  from_float8: 'SELECT $1::float8::numeric',
  from_float4: 'SELECT $1::float4::numeric',
  sum_avg: 'SELECT sum(x), avg(x) FROM unnest($1::numeric[]) x',
  sum_avg_int8: 'SELECT sum(x), avg(x) FROM unnest($1::int8[]) x',
};

/** Inputs through a column of the type: INSERT into a temporary table and read the row back. */
async function recordAssignments(oracle: Oracle, client: pg.Client, cases: TextCase[]): Promise<object[]> {
  const out: object[] = [];
  for (const [index, c] of cases.entries()) {
    await client.query(`CREATE TEMPORARY TABLE assigned_${index} (v ${c.type})`);
    out.push(withOutcome(c, await oracle.run(`INSERT INTO assigned_${index} VALUES ($1) RETURNING v`, [c.input], c.settings)));
    await client.query(`DROP TABLE assigned_${index}`);
  }
  return out;
}

async function recordNumericOps(oracle: Oracle, cases: NumericOpCase[]): Promise<object[]> {
  const out: object[] = [];
  for (const c of cases) {
    const sql = numericOpSql[c.op];
    if (sql === undefined) throw new Error(`unknown numeric op ${c.op}`);
    const list = c.op.startsWith('sum_avg');
    const values = list ? ['{' + c.args.join(',') + '}'] : [...c.args];
    out.push(withOutcome(c, await oracle.run(sql, values), !list));
  }
  return out;
}

async function recordCasts(oracle: Oracle, cases: CastCase[]): Promise<object[]> {
  const out: object[] = [];
  for (const c of cases) out.push(withOutcome(c, await oracle.run(`SELECT $1::${c.from}::${c.to}`, [c.input], c.settings)));
  return out;
}

const sendFunctions: Record<string, string> = {
  boolean: 'boolsend',
  smallint: 'int2send',
  integer: 'int4send',
  bigint: 'int8send',
  real: 'float4send',
  'double precision': 'float8send',
  numeric: 'numeric_send',
  text: 'textsend',
  'character varying': 'varcharsend',
  date: 'date_send',
  'timestamp without time zone': 'timestamp_send',
  'timestamp with time zone': 'timestamptz_send',
  jsonb: 'jsonb_send',
  interval: 'interval_send',
};

async function recordSend(oracle: Oracle, cases: TextCase[]): Promise<object[]> {
  const out: object[] = [];
  for (const c of cases) {
    const send = sendFunctions[c.type];
    if (send === undefined) throw new Error(`no send function for ${c.type}`);
    const outcome = await oracle.run(`SELECT $1::${c.type}, ${send}($1::${c.type})`, [c.input]);
    if ('error' in outcome) throw new Error(`send case failed: ${c.type} ${c.input}: ${outcome.error.message}`);
    const [text, bytes] = outcome.output;
    out.push({ ...c, output: text, hex: (bytes as string).replace(/^\\x/, '') });
  }
  return out;
}

async function recordReceive(oracle: Oracle, cases: ReceiveCase[]): Promise<object[]> {
  const out: object[] = [];
  for (const c of cases) out.push(withOutcome(c, await oracle.run(`SELECT $1::${c.type}`, [Buffer.from(c.hex, 'hex')])));
  return out;
}

/** File names given on the command line record only those fixtures; none records all. */
const only = process.argv.slice(2);

function write(name: string, cases: object[]): void {
  const path = join(fixtureDirectory, name);
  writeFileSync(path, '[\n' + cases.map((c) => '  ' + JSON.stringify(c)).join(',\n') + '\n]\n');
  console.log(`${name}: ${cases.length} cases`);
}

async function main(): Promise<void> {
  mkdirSync(fixtureDirectory, { recursive: true });
  const postgres = await startPostgres();
  const client = new pg.Client({ ...postgresClientConfig(postgres), types: rawTypes });
  try {
    await client.connect();
    const version = (await client.query({ text: 'SHOW server_version', rowMode: 'array' })).rows[0] as string[];
    if (!String(version[0]).startsWith('15.')) throw new Error(`expected PostgreSQL 15, got ${version[0]}`);
    const oracle = new Oracle(client);
    const wanted = (name: string) => only.length === 0 || only.includes(name);
    if (wanted('interval.json')) write('interval.json', await recordText(oracle, intervalCases()));
    if (wanted('interval-send.json')) write('interval-send.json', await recordSend(oracle, intervalSendCases()));
    if (only.length > 0) return;
    write('integers.json', await recordText(oracle, [...integerCases(), ...booleanCases()]));
    write('floats.json', await recordText(oracle, floatCases()));
    write('numeric-input.json', await recordText(oracle, numericInputCases()));
    write('numeric-ops.json', await recordNumericOps(oracle, numericOpCases()));
    write('text.json', await recordText(oracle, [...textCases(), ...jsonbCases()]));
    write('assignments.json', await recordAssignments(oracle, client, assignmentCases()));
    write('datetime-input.json', await recordText(oracle, dateTimeInputCases()));
    write('datetime-output.json', await recordText(oracle, instantOutputCases()));
    write('casts.json', await recordCasts(oracle, castCases()));
    write('binary-send.json', await recordSend(oracle, binarySendCases()));
    write('binary-receive.json', await recordReceive(oracle, binaryReceiveCases()));
  } finally {
    await client.end().catch(() => undefined);
    await postgres.stop();
  }
}

await main();
