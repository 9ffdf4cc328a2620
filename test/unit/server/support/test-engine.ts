/**
 * A small Engine for protocol tests. It understands a fixed set of statements, each written in
 * real PostgreSQL SQL with the same result, columns and errors as PostgreSQL 15 gives, so one
 * message script can run against this engine and against a real PostgreSQL. A few
 * `eventide_*()` functions exercise mechanics PostgreSQL cannot show on demand (a query that
 * hangs, an internal error, a result too large to buffer).
 */
import type {
  Engine,
  ExecuteContext,
  ParsedStatement,
  PreparedStatement,
  ResultColumn,
  SessionContext,
  StatementResult,
} from '../../../../src/engine.js';
import { DbError, queryCanceled } from '../../../../storage/errors.js';
import { Types, typeByOid, type DataType, type Value } from '../../../../storage/types.js';
import { constantVector, makeBatch, vectorFromValues, type Batch } from '../../../../storage/vector.js';

export interface TestEngineStats {
  /** Batches handed to the server, over all queries. */
  batchesYielded: number;
  /** Row iterators started and not yet finished or returned. */
  openIterators: number;
  /** Signals of the queries executed, latest last. */
  signals: AbortSignal[];
}

const column = (name: string, type: DataType): ResultColumn => ({ name, type, tableOid: 0, columnNumber: 0 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Rows = (context: ExecuteContext) => AsyncGenerator<Batch>;

interface Plan {
  readonly columns: ResultColumn[] | null;
  readonly paramTypes?: DataType[];
  readonly endsTransaction?: boolean;
  readonly rows?: (params: readonly Value[]) => Rows;
  readonly tag: (rows: number, session: SessionContext) => string;
  /** Runs when the statement executes (transaction control, SET, failures). */
  readonly effect?: (session: SessionContext, params: readonly Value[]) => Partial<StatementResult> | void;
}

/** Splits on semicolons outside $$ bodies, as a SQL lexer would for these statements. */
function splitStatements(sql: string): string[] {
  const pieces = sql.split('$$');
  const parts: string[] = [];
  let current = '';
  pieces.forEach((piece, i) => {
    if (i % 2 === 1) {
      current += `$$${piece}$$`;
      return;
    }
    const split = piece.split(';');
    current += split[0];
    for (const next of split.slice(1)) {
      parts.push(current);
      current = next;
    }
  });
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** Values whose text depends on the session (TimeZone) and whose formats are not trivial. */
export const temporalRow =
  "select '2024-02-29'::date as d, '2024-02-29 13:45:01.5'::timestamp as ts, '2024-02-29 13:45:01.5+00'::timestamptz as tz, " +
  '12.50::numeric as num, \'{"b": 1, "a": [true, null]}\'::jsonb as j, 0.1::float4 as r';

export class TestEngine implements Engine {
  readonly stats: TestEngineStats = { batchesYielded: 0, openIterators: 0, signals: [] };
  /** Rows per batch for generate_series results. */
  batchRows = 1000;

  parse(sql: string): ParsedStatement[] {
    return splitStatements(sql).map((text) => {
      this.plan(text); // syntax errors surface at parse time, as in PostgreSQL
      return { sql: text };
    });
  }

  bind(statement: ParsedStatement, paramTypeOids: readonly number[], session: SessionContext): PreparedStatement {
    const plan = this.plan(statement.sql);
    if (plan === 'missing') throw new DbError('42P01', 'relation "missing_table" does not exist', { position: 15 });
    const endsTransaction = plan.endsTransaction ?? false;
    if (session.transactionStatus === 'E' && !endsTransaction) {
      throw new DbError('25P02', 'current transaction is aborted, commands ignored until end of transaction block');
    }
    const paramTypes = (plan.paramTypes ?? []).map((type, i) => {
      const given = paramTypeOids[i] ?? 0;
      return given === 0 ? type : (typeByOid(given) ?? type);
    });
    const stats = this.stats;
    return {
      sql: statement.sql,
      paramTypes,
      columns: plan.columns,
      endsTransaction,
      async execute(params, context) {
        stats.signals.push(context.signal);
        const effect = plan.effect?.(context.session, params) ?? {};
        const make = plan.rows?.(params);
        return {
          columns: plan.columns,
          rows: make ? counted(make(context), stats) : null,
          commandTag: (rows) => plan.tag(rows, context.session),
          ...effect,
        };
      },
    };
  }

  /** This engine keeps no data, so implicit transactions have nothing to commit or undo. */
  beginImplicitTransaction(): void {}

  async endImplicitTransaction(): Promise<void> {}

  startupParameters(session: SessionContext): ReadonlyArray<readonly [string, string]> {
    for (const name of session.settings.keys()) {
      if (!['application_name', 'client_encoding', 'datestyle', 'timezone', 'extra_float_digits'].includes(name)) {
        throw new DbError('42704', `unrecognized configuration parameter "${name}"`);
      }
    }
    const s = session.settings;
    return [
      ['application_name', s.get('application_name') ?? ''],
      ['client_encoding', 'UTF8'],
      ['DateStyle', s.get('datestyle') ?? 'ISO, MDY'],
      ['integer_datetimes', 'on'],
      ['IntervalStyle', 'postgres'],
      ['is_superuser', 'on'],
      ['server_encoding', 'UTF8'],
      ['server_version', '15.0 (Eventide 0.1.0)'],
      ['session_authorization', session.user],
      ['standard_conforming_strings', 'on'],
      ['TimeZone', s.get('timezone') ?? 'UTC'],
    ];
  }

  async close(): Promise<void> {}

  private plan(sql: string): Plan | 'missing' {
    const text = sql.replace(/\s+/g, ' ').trim();
    const lower = text.toLowerCase();
    let m: RegExpMatchArray | null;
    const select = (n: number) => `SELECT ${n}`;
    if ((m = lower.match(/^select n from generate_series\(1, (\d+)\) as n$/))) {
      const count = Number(m[1]);
      return { columns: [column('n', Types.int4)], rows: () => () => series(count, this.batchRows, false), tag: select };
    }
    if ((m = lower.match(/^select n, repeat\('x', (\d+)\) as label from generate_series\(1, (\d+)\) as n$/))) {
      const width = Number(m[1]);
      const count = Number(m[2]);
      return {
        columns: [column('n', Types.int4), column('label', Types.text)],
        rows: () => () => series(count, this.batchRows, true, 'x'.repeat(width)),
        tag: select,
      };
    }
    if ((m = lower.match(/^select 1\/\(n - (\d+)\) as q from generate_series\(1, (\d+)\) as n$/))) {
      const zeroAt = Number(m[1]);
      const count = Number(m[2]);
      return { columns: [column('q', Types.int4)], rows: () => () => quotients(zeroAt, count), tag: select };
    }
    if (lower === 'select $1::int4 as a, $2::text as b') {
      return {
        columns: [column('a', Types.int4), column('b', Types.text)],
        paramTypes: [Types.int4, Types.text],
        rows: (params) => async function* () {
          yield makeBatch([vectorFromValues(Types.int4, [params[0] ?? null]), vectorFromValues(Types.text, [params[1] ?? null])]);
        },
        tag: select,
      };
    }
    if (lower === 'select true as t, 7::int2 as s, -9007199254740993::int8 as big, 1.5::float8 as f, null::text as z') {
      return {
        columns: [
          column('t', Types.bool),
          column('s', Types.int2),
          column('big', Types.int8),
          column('f', Types.float8),
          column('z', Types.text),
        ],
        rows: () => async function* () {
          yield makeBatch([
            vectorFromValues(Types.bool, [true]),
            vectorFromValues(Types.int2, [7]),
            vectorFromValues(Types.int8, [-9007199254740993n]),
            vectorFromValues(Types.float8, [1.5]),
            vectorFromValues(Types.text, [null]),
          ]);
        },
        tag: select,
      };
    }
    if (lower === temporalRow) {
      return {
        columns: [
          column('d', Types.date),
          column('ts', Types.timestamp),
          column('tz', Types.timestamptz),
          column('num', Types.numeric),
          column('j', Types.jsonb),
          column('r', Types.float4),
        ],
        rows: () => async function* () {
          const micros = Date.UTC(2024, 1, 29, 13, 45, 1, 500) * 1000;
          yield makeBatch([
            vectorFromValues(Types.date, [Date.UTC(2024, 1, 29) / 86_400_000]),
            vectorFromValues(Types.timestamp, [micros]),
            vectorFromValues(Types.timestamptz, [micros]),
            vectorFromValues(Types.numeric, ['12.50']),
            vectorFromValues(Types.jsonb, ['{"a": [true, null], "b": 1}']),
            vectorFromValues(Types.float4, [0.1]),
          ]);
        },
        tag: select,
      };
    }
    if (lower === 'begin') {
      return {
        columns: null,
        tag: () => 'BEGIN',
        effect: (session) => {
          if (session.transactionStatus === 'I') session.transactionStatus = 'T';
        },
      };
    }
    if (lower === 'commit' || lower === 'rollback') {
      return {
        columns: null,
        endsTransaction: true,
        tag: () => 'COMMIT',
        effect: (session) => {
          // COMMIT of a failed block rolls it back and says so, as PostgreSQL does.
          const tag = session.transactionStatus === 'E' || lower === 'rollback' ? 'ROLLBACK' : 'COMMIT';
          session.transactionStatus = 'I';
          return { commandTag: () => tag };
        },
      };
    }
    if ((m = text.match(/^set timezone = '([^']+)'$/i))) {
      const zone = m[1] as string;
      return {
        columns: null,
        tag: () => 'SET',
        effect: (session) => {
          session.settings.set('timezone', zone);
          return { parameterStatus: [['TimeZone', zone]] };
        },
      };
    }
    if (lower === "do $$ begin raise notice 'hello'; end $$") {
      return { columns: null, tag: () => 'DO', effect: () => ({ notices: [{ code: '00000', message: 'hello' }] }) };
    }
    if (lower === 'create temp table t (a int)') return { columns: null, tag: () => 'CREATE TABLE' };
    if (lower === 'insert into t values (1)') return { columns: null, tag: () => 'INSERT 0 1' };
    if (lower === 'select * from missing_table') return 'missing';
    if ((m = lower.match(/^select eventide_slow\((\d+)\)$/))) {
      const intervalMs = Number(m[1]);
      return { columns: [column('n', Types.int4)], rows: () => (context) => slow(intervalMs, context), tag: select };
    }
    if ((m = lower.match(/^select eventide_sleep\((\d+)\)$/))) {
      const ms = Number(m[1]);
      return {
        columns: [column('n', Types.int4)],
        rows: () => async function* (context) {
          await sleep(ms);
          if (context.signal.aborted) throw queryCanceled();
        },
        tag: select,
      };
    }
    if ((m = lower.match(/^select eventide_busy\((\d+)\)$/))) {
      const busyMs = Number(m[1]);
      return { columns: [column('n', Types.int4)], rows: () => (context) => busy(busyMs, context), tag: select };
    }
    if (lower === 'select eventide_hang()') {
      return { columns: [column('n', Types.int4)], rows: () => (context) => hang(context), tag: select };
    }
    if (lower === 'select eventide_crash()') {
      return {
        columns: null,
        tag: () => 'SELECT 0',
        effect: () => {
          throw new TypeError("Cannot read properties of undefined (reading 'x')");
        },
      };
    }
    const word = text.split(/[\s(;]/)[0] ?? text;
    throw new DbError('42601', `syntax error at or near "${word}"`, { position: 1 });
  }
}

async function* counted(rows: AsyncGenerator<Batch>, stats: TestEngineStats): AsyncGenerator<Batch> {
  stats.openIterators++;
  try {
    for await (const batch of rows) {
      stats.batchesYielded++;
      yield batch;
    }
  } finally {
    stats.openIterators--;
  }
}

async function* series(count: number, batchRows: number, withLabel: boolean, label = ''): AsyncGenerator<Batch> {
  for (let start = 1; start <= count; start += batchRows) {
    const length = Math.min(batchRows, count - start + 1);
    const values = new Int32Array(length);
    for (let i = 0; i < length; i++) values[i] = start + i;
    const n = { kind: 'fixed' as const, type: Types.int4, length, values, validity: null };
    yield makeBatch(withLabel ? [n, constantVector(Types.text, label, length)] : [n]);
  }
}

/** 1/(n - zeroAt) row by row: the error comes after the rows before it were sent. */
async function* quotients(zeroAt: number, count: number): AsyncGenerator<Batch> {
  for (let n = 1; n <= count; n++) {
    if (n === zeroAt) throw new DbError('22012', 'division by zero');
    yield makeBatch([vectorFromValues(Types.int4, [Math.trunc(1 / (n - zeroAt))])]);
  }
}

/** One row every `intervalMs` until the query is cancelled; honours the signal like a real scan. */
async function* slow(intervalMs: number, context: ExecuteContext): AsyncGenerator<Batch> {
  for (let n = 1; ; n++) {
    if (context.signal.aborted) throw queryCanceled();
    yield makeBatch([vectorFromValues(Types.int4, [n])]);
    await sleep(intervalMs);
  }
}

/**
 * Computes each one-row batch for `busyMs` of CPU without ever giving the event loop a turn, like
 * an in-memory scan; only the server's own yielding lets a CancelRequest in.
 */
async function* busy(busyMs: number, context: ExecuteContext): AsyncGenerator<Batch> {
  for (let n = 1; ; n++) {
    if (context.signal.aborted) throw queryCanceled();
    const until = performance.now() + busyMs;
    while (performance.now() < until) {
      // spinning
    }
    yield makeBatch([vectorFromValues(Types.int4, [n])]);
  }
}

/**
 * Produces nothing and notices its signal only `hangAfterAbortMs` late, like an engine stuck in
 * a long computation: the server must answer a cancel without waiting for it.
 */
export const hangAfterAbortMs = 2000;

async function* hang(context: ExecuteContext): AsyncGenerator<Batch> {
  await new Promise((resolve) => context.signal.addEventListener('abort', resolve, { once: true }));
  await sleep(hangAfterAbortMs);
  throw queryCanceled();
}
