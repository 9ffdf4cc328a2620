/**
 * The INSERT ... VALUES fast path of the parser must build exactly the AST PostgreSQL's grammar
 * (libpg-query) gives, and leave every text it does not fully understand to the grammar.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseSql, parseWithGrammar } from '../../../src/sql/parse.js';
import { parseInsertValues } from '../../../src/sql/parse-insert-values.js';

const grammarStatement = (sql: string) => {
  const parsed = parseWithGrammar(sql);
  return parsed.length === 1 ? parsed[0]!.statement : null;
};

const fast = (sql: string) => parseInsertValues(sql, grammarStatement);

function expectSameAsGrammar(sql: string): void {
  const result = fast(sql);
  expect(result, sql).not.toBeNull();
  const [grammar] = parseWithGrammar(sql);
  expect(result!.statement).toEqual(grammar!.statement);
  expect(result!.text).toBe(grammar!.sql);
  // And parseSql itself takes the fast path with the same outcome.
  expect(parseSql(sql)).toEqual([{ sql: grammar!.sql, fullSql: sql, statement: grammar!.statement }]);
}

const space = fc.constantFrom(' ', '  ', '\n', '\t', ' \r\n ', '');
const someSpace = fc.constantFrom(' ', '\n', '\t ', '  \n');
const caseOf = (word: string) => fc.array(fc.boolean(), { minLength: word.length, maxLength: word.length }).map((upper) => [...word].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join(''));
const stringLiteral = fc
  .string({ unit: fc.constantFrom('a', 'Z', ' ', "'", '\\', '"', '{', ':', 'é', '日', '🙂', ',', ')', '(', '-', '\n', '0') , maxLength: 12 })
  .map((s) => `'${s.replaceAll("'", "''")}'`);
const integer = fc.oneof(fc.integer({ min: 0, max: 3_000_000_000 }).map(String), fc.constantFrom('0', '007', '2147483647', '2147483648', '00000000000000000001', '99999999999999999999999'));
const decimal = fc.constantFrom('1.5', '.5', '5.', '0.000', '12.34e5', '1E-3', '3e+2', '123456789012345678901234567890.5');
const number = fc.tuple(fc.boolean(), fc.oneof(integer, decimal)).map(([negative, text]) => (negative ? `-${text}` : text));
const keyword = fc.oneof(caseOf('null'), caseOf('true'), caseOf('false'), caseOf('default'));
const value = fc.oneof(stringLiteral, number, keyword);
const row = fc.tuple(fc.array(fc.tuple(space, value, space), { minLength: 1, maxLength: 5 })).map(([items]) => `(${items.map(([a, v, b]) => `${a}${v}${b}`).join(',')})`);
const header = fc.tuple(caseOf('insert'), someSpace, caseOf('into'), someSpace, fc.constantFrom('t', 'events', 'public.events', 'T1', 'my_table', 'ünïcode'), fc.option(fc.constantFrom('(a)', ' (a, b)', '(user_id,event_time , page)', ' (é)'), { nil: '' }), someSpace, caseOf('values'), space)
  .map((parts) => parts.join(''));
const statement = fc.tuple(space, header, fc.array(row, { minLength: 1, maxLength: 6 }), space, fc.constantFrom('', ';', ' ; ', ';\n')).map(([lead, h, rows, gap, end]) => `${lead}${h}${rows.join(`,${'\n'}`)}${gap}${end}`);

describe('INSERT ... VALUES fast path', () => {
  test('builds the same statement as the grammar for literal VALUES lists', () => {
    fc.assert(fc.property(statement, (sql) => expectSameAsGrammar(sql)), { numRuns: 400 });
  });

  test('positions are byte offsets after non-ASCII text, as the grammar reports them', () => {
    expectSameAsGrammar("INSERT INTO t VALUES ('日本語🙂', 1, 'x', -2.5)");
    expectSameAsGrammar("INSERT INTO t (é) VALUES ('ü'), ('')");
  });

  test.each([
    ['a comment', 'INSERT INTO t VALUES (1) -- done'],
    ['a block comment', 'INSERT INTO t /* x */ VALUES (1)'],
    ['a cast', "INSERT INTO t VALUES ('1'::int)"],
    ['an expression', 'INSERT INTO t VALUES (1 + 2)'],
    ['a negated expression', 'INSERT INTO t VALUES (- 2)'],
    ['an escape string', "INSERT INTO t VALUES (E'a\\n')"],
    ['adjacent strings across a newline', "INSERT INTO t VALUES ('a'\n'b')"],
    ['a function call', 'INSERT INTO t VALUES (now())'],
    ['a parameter', 'INSERT INTO t VALUES ($1)'],
    ['RETURNING', 'INSERT INTO t VALUES (1) RETURNING *'],
    ['ON CONFLICT', 'INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING'],
    ['two statements', 'INSERT INTO t VALUES (1); SELECT 1'],
    ['ORDER BY', 'INSERT INTO t VALUES (1) ORDER BY 1'],
    ['DEFAULT VALUES', 'INSERT INTO t DEFAULT VALUES'],
    ['a quoted name', 'INSERT INTO "T" VALUES (1)'],
    ['a column named values', 'INSERT INTO t (values) VALUES (1)'],
    ['a reserved word as table name', 'INSERT INTO user VALUES (1)'],
    ['a number run into a name', 'INSERT INTO t VALUES (12abc)'],
    ['a malformed number', 'INSERT INTO t VALUES (1.2.3)'],
    ['an unterminated string', "INSERT INTO t VALUES ('abc)"],
    ['a missing parenthesis', 'INSERT INTO t VALUES (1'],
    ['a SELECT', 'INSERT INTO t SELECT 1'],
  ])('leaves %s to the grammar', (_what, sql) => {
    expect(fast(sql)).toBeNull();
  });

  test('syntax errors still come from the grammar, with its position', () => {
    expect(() => parseSql('INSERT INTO t VALUES (1,)')).toThrow(expect.objectContaining({ code: '42601', fields: expect.objectContaining({ position: 25 }) }));
  });
});
