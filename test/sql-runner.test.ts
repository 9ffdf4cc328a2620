/**
 * The .slt parser, runner and recorder against a scripted session: the runner must report every
 * kind of mismatch (values, order, types, SQLSTATEs), honour onlyif/skipif and SLT_LINE, and add
 * CHECKPOINTs and restarts outside transaction blocks only; the recorder must rewrite result rows
 * and nothing else.
 */
import { describe, expect, test } from 'vitest';
import { ServerError, type QueryOutcome, type SqlSession } from './support/slt-connection.js';
import { parseSlt, SltSyntaxError, type QueryRecord } from './support/slt-parser.js';
import { runSlt, type SltConfig } from './support/slt-runner.js';
import type { SltTarget } from './support/slt-targets.js';
import { encodeValue, typeLetter } from './support/slt-values.js';
import { recordFile } from './tools/postgres-recording.js';

type Answer = QueryOutcome | ServerError;
const int4 = 23;
const text = 25;
const rows = (typeOids: number[], values: (string | null)[][]): QueryOutcome => ({ typeOids, rows: values });
const ok: QueryOutcome = { typeOids: null, rows: [] };

/** A target whose session answers from a table of SQL -> outcome and logs what it was asked. */
function scripted(answers: Record<string, Answer>, name: 'eventide' | 'postgres' = 'eventide') {
  const log: string[] = [];
  let inTransaction = false;
  const session: SqlSession = {
    async query(sql) {
      log.push(sql);
      if (sql === 'BEGIN') inTransaction = true;
      if (sql === 'COMMIT') inTransaction = false;
      const answer = answers[sql] ?? (sql === 'CHECKPOINT' || sql === 'BEGIN' || sql === 'COMMIT' ? ok : undefined);
      if (answer === undefined) throw new Error(`unscripted SQL: ${sql}`);
      if (answer instanceof ServerError) throw answer;
      return answer;
    },
    get inTransaction() {
      return inTransaction;
    },
    async close() {},
  };
  const target: SltTarget = {
    name,
    connection: session,
    restart: async () => void log.push('<restart>'),
    kill: async () => void log.push('<kill>'),
    log: () => '',
    close: async () => {},
  };
  return { target, log };
}

const run = (source: string, answers: Record<string, Answer>, config: SltConfig = 'plain', onlyLine?: number) => {
  const { target, log } = scripted(answers);
  return runSlt(parseSlt(source, 'x.slt'), 'x.slt', target, { config, onlyLine }).then((outcome) => ({ outcome, log }));
};

describe('parser', () => {
  test('reads every record kind with its line numbers and conditions', () => {
    const records = parseSlt(
      [
        '# comment',
        'statement ok',
        'CREATE TABLE t (a int)',
        '',
        'onlyif postgres',
        'statement error 42P01',
        'SELECT *',
        'FROM nope',
        '',
        'query IT rowsort',
        'SELECT a, b FROM t',
        '----',
        '1\tx',
        'NULL\t(empty)',
        '',
        'kill',
      ].join('\n'),
      'x.slt',
    );
    expect(records.map((record) => [record.kind, record.line])).toEqual([
      ['statement', 2],
      ['statement', 6],
      ['query', 10],
      ['control', 16],
    ]);
    expect(records[1]).toMatchObject({ sql: 'SELECT *\nFROM nope', errorCode: '42P01', conditions: [{ kind: 'onlyif', target: 'postgres' }] });
    const query = records[2] as QueryRecord;
    expect(query).toMatchObject({ types: 'IT', sort: 'rowsort', expected: [['1', 'x'], ['NULL', '(empty)']], resultStart: 11, end: 14 });
  });

  test('a query without results parses with expected = null', () => {
    const [query] = parseSlt('query I\nSELECT 1', 'x.slt');
    expect(query).toMatchObject({ kind: 'query', expected: null, sort: 'nosort' });
  });

  test.each([
    ['statement error 4201\nSELECT 1', 'x.slt:1'],
    ['query IX\nSELECT 1', 'bad column types'],
    ['query II\nSELECT 1, 2\n----\n1', 'row has 1 values'],
    ['query I sorted\nSELECT 1', 'unknown sort mode'],
    ['frobnicate\nSELECT 1', 'unknown record'],
    ['onlyif mysql\nstatement ok\nSELECT 1', 'expected "onlyif eventide"'],
    ['onlyif postgres\n\nstatement ok\nSELECT 1', 'followed directly'],
    ['statement ok\nSELECT 1\n----\n1', 'no result rows'],
  ])('rejects %j', (source, message) => {
    expect(() => parseSlt(source, 'x.slt')).toThrow(SltSyntaxError);
    expect(() => parseSlt(source, 'x.slt')).toThrow(message);
  });
});

describe('values', () => {
  test('NULL, empty string and the type letters', () => {
    expect([encodeValue(null), encodeValue(''), encodeValue('a b')]).toEqual(['NULL', '(empty)', 'a b']);
    expect(() => encodeValue('a\tb')).toThrow('tab or line break');
    expect([20, 21, 23, 700, 701, 1700, 16, 1082, 1114, 1184, 25, 1043, 3802].map(typeLetter).join('')).toBe('IIIRRRBDDDTTT');
  });
});

describe('runner', () => {
  const query = 'query IT rowsort\nSELECT a, b FROM t\n----\n1\tx\n2\tNULL';

  test('passes when rows match as a multiset under rowsort', async () => {
    const { outcome } = await run(query, { 'SELECT a, b FROM t': rows([int4, text], [['2', null], ['1', 'x']]) });
    expect(outcome).toEqual({ executed: 1, skipped: 0, failures: [] });
  });

  test('reports a different value with file:line, SQL, expected and actual', async () => {
    const { outcome } = await run(query, { 'SELECT a, b FROM t': rows([int4, text], [['1', 'x'], ['2', '']]) });
    expect(outcome.failures).toHaveLength(1);
    const [failure] = outcome.failures;
    expect(failure).toMatchObject({ file: 'x.slt', line: 1 });
    expect(failure?.message).toContain('SELECT a, b FROM t');
    expect(failure?.message).toContain('2\tNULL');
    expect(failure?.message).toContain('2\t(empty)');
  });

  test('nosort checks the order; a missing row is a mismatch', async () => {
    const ordered = 'query I\nSELECT a FROM t ORDER BY a\n----\n1\n2';
    const swapped = await run(ordered, { 'SELECT a FROM t ORDER BY a': rows([int4], [['2'], ['1']]) });
    expect(swapped.outcome.failures[0]?.message).toContain('mismatch at row 1');
    const short = await run(ordered, { 'SELECT a FROM t ORDER BY a': rows([int4], [['1']]) });
    expect(short.outcome.failures[0]?.message).toContain('mismatch at row 2');
  });

  test('several rows without ORDER BY must be rowsort', async () => {
    const { outcome } = await run('query I\nSELECT a FROM t\n----\n1\n2', { 'SELECT a FROM t': rows([int4], [['1'], ['2']]) });
    expect(outcome.failures[0]?.message).toContain('neither ORDER BY nor rowsort');
  });

  test('checks column types against the type OIDs', async () => {
    const { outcome } = await run(query, { 'SELECT a, b FROM t': rows([text, text], [['1', 'x'], ['2', null]]) });
    expect(outcome.failures[0]?.message).toContain('column types: expected IT, got TT');
  });

  test('checks SQLSTATEs and success', async () => {
    const source = 'statement error 42P01\nS1\n\nstatement error 42P01\nS2\n\nstatement ok\nS3\n\nstatement error 22012\nS4';
    const { outcome } = await run(source, {
      S1: new ServerError('42P01', 'relation "nope" does not exist'),
      S2: ok,
      S3: new ServerError('42601', 'syntax error'),
      S4: new ServerError('22003', 'integer out of range'),
    });
    expect(outcome.failures.map((failure) => [failure.line, failure.message.split('\n')[0]])).toEqual([
      [4, 'statement succeeded, expected error 42P01'],
      [7, 'statement failed: 42601 syntax error'],
      [10, 'expected error 22012, got 22003 integer out of range'],
    ]);
  });

  test('a query that fails or has no recorded rows is a failure', async () => {
    const failed = await run(query, { 'SELECT a, b FROM t': new ServerError('42P01', 'missing') });
    expect(failed.outcome.failures[0]?.message).toContain('query failed: 42P01');
    const unrecorded = await run('query I\nSELECT 1', { 'SELECT 1': rows([int4], [['1']]) });
    expect(unrecorded.outcome.failures[0]?.message).toContain('no recorded results');
  });

  test('a lost connection ends the file', async () => {
    const { outcome, log } = await run('statement ok\nS1\n\nstatement ok\nS2', { S2: ok });
    expect(outcome.failures).toHaveLength(1);
    expect(outcome.failures[0]?.message).toContain('connection failed: unscripted SQL: S1');
    expect(log).toEqual(['S1']);
  });

  test('onlyif and skipif select the target', async () => {
    const source = 'onlyif postgres\nstatement ok\nP\n\nskipif eventide\nstatement ok\nQ\n\nonlyif eventide\nstatement ok\nE';
    const { outcome, log } = await run(source, { E: ok });
    expect(outcome).toMatchObject({ executed: 1, skipped: 2, failures: [] });
    expect(log).toEqual(['E']);
  });

  test('restart and kill call the target', async () => {
    const { log } = await run('statement ok\nS\n\nrestart\n\nkill', { S: ok });
    expect(log).toEqual(['S', '<restart>', '<kill>']);
  });

  test('the checkpoint configuration adds CHECKPOINT after each statement (not query) outside blocks', async () => {
    const source = 'statement ok\nS1\n\nstatement ok\nBEGIN\n\nstatement ok\nS2\n\nstatement ok\nCOMMIT\n\nquery I\nQ\n----\n1';
    const { outcome, log } = await run(source, { S1: ok, S2: ok, Q: rows([int4], [['1']]) }, 'checkpoint');
    expect(outcome.failures).toEqual([]);
    expect(log).toEqual(['S1', 'CHECKPOINT', 'BEGIN', 'S2', 'COMMIT', 'CHECKPOINT', 'Q']);
  });

  test('the restart configuration restarts after each statement', async () => {
    const { log } = await run('statement ok\nS1\n\nstatement error 42P01\nS2', { S1: ok, S2: new ServerError('42P01', 'x') }, 'restart');
    expect(log).toEqual(['S1', '<restart>', 'S2', '<restart>']);
  });

  test('onlyLine runs the statements before the record, skips earlier queries, and stops after it', async () => {
    const source = 'statement ok\nS1\n\nquery I\nQ1\n----\n1\n\nrestart\n\nquery I\nQ2\n----\n2\n\nstatement ok\nS3';
    const answers = { S1: ok, Q2: rows([int4], [['2']]) };
    const { outcome, log } = await run(source, answers, 'plain', 12);
    expect(outcome.failures).toEqual([]);
    expect(log).toEqual(['S1', '<restart>', 'Q2']);
  });
});

describe('recorder', () => {
  test('rewrites result rows only, sorting rowsort results', async () => {
    const source = [
      '# kept',
      'statement ok',
      'S',
      '',
      'query IT rowsort',
      'SELECT a, b FROM t',
      '----',
      'stale\tvalue',
      '',
      'onlyif eventide',
      'statement ok',
      'EVENTIDE ONLY',
      '',
      'query I',
      'SELECT 1',
      '',
    ].join('\n');
    const { target, log } = scripted({ S: ok, 'SELECT a, b FROM t': rows([int4, text], [['2', ''], ['1', null]]), 'SELECT 1': rows([int4], [['1']]) }, 'postgres');
    const recording = await recordFile(source, 'x.slt', target, { updateTypes: false });
    expect(recording.problems).toEqual([]);
    expect(log).toEqual(['S', 'SELECT a, b FROM t', 'SELECT 1']);
    expect(recording.text).toBe(
      source.replace('stale\tvalue', '1\tNULL\n2\t(empty)').replace('SELECT 1\n', 'SELECT 1\n----\n1\n'),
    );
  });

  test('reports statements whose outcome differs and wrong type letters', async () => {
    const source = 'statement error 42P01\nS1\n\nstatement ok\nS2\n\nquery T\nQ\n----\n1\n';
    const { target } = scripted({ S1: ok, S2: new ServerError('42601', 'syntax'), Q: rows([int4], [['1']]) }, 'postgres');
    const recording = await recordFile(source, 'x.slt', target, { updateTypes: false });
    expect(recording.problems).toHaveLength(3);
    expect(recording.problems[0]).toContain('x.slt:1: statement succeeded, expected error 42P01');
    expect(recording.problems[1]).toContain('x.slt:4: statement failed: 42601');
    expect(recording.problems[2]).toContain('x.slt:7: column types are I in PostgreSQL but the record says T');
  });

  test('--update-types rewrites the letters and keeps the sort mode', async () => {
    const { target } = scripted({ Q: rows([int4, text], [['1', 'a']]) }, 'postgres');
    const recording = await recordFile('query TT nosort\nQ\n', 'x.slt', target, { updateTypes: true });
    expect(recording.text).toBe('query IT nosort\nQ\n----\n1\ta\n');
  });

  test('refuses an unordered multi-row result without rowsort, and queries that skip PostgreSQL', async () => {
    const { target } = scripted({ Q: rows([int4], [['1'], ['2']]) }, 'postgres');
    const recording = await recordFile('query I\nQ\n\nonlyif eventide\nquery I\nE\n', 'x.slt', target, { updateTypes: false });
    expect(recording.problems[0]).toContain('mark the query rowsort');
    expect(recording.problems[1]).toContain('must run on PostgreSQL');
  });
});
