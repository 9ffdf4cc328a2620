/**
 * Parser for sqllogictest files (test/sql/*.slt; the format is described in test/sql/README.md).
 * Records keep the line numbers of their parts, so failures point at file:line and the recording
 * script can rewrite the expected rows in place while leaving every other line untouched.
 */

export type Target = 'eventide' | 'postgres';
export const targets: readonly Target[] = ['eventide', 'postgres'];

export type SortMode = 'rowsort' | 'nosort';

/** `onlyif <target>` / `skipif <target>` lines written before a record. */
export interface Condition {
  readonly kind: 'onlyif' | 'skipif';
  readonly target: Target;
}

interface RecordBase {
  /** 1-based line of the record's header (`statement ok`, `query IT`, `restart`). */
  readonly line: number;
  readonly conditions: readonly Condition[];
}

export interface StatementRecord extends RecordBase {
  readonly kind: 'statement';
  readonly sql: string;
  /** null: must succeed; otherwise the SQLSTATE it must fail with. */
  readonly errorCode: string | null;
}

export interface QueryRecord extends RecordBase {
  readonly kind: 'query';
  readonly sql: string;
  /** One letter per column: I, R, T, B, D. */
  readonly types: string;
  readonly sort: SortMode;
  /** Expected rows, each value as PostgreSQL prints it (`NULL`, `(empty)` encoded); null when not yet recorded. */
  readonly expected: string[][] | null;
  /** 0-based index of the first line after the SQL (the `----` line when present). */
  readonly resultStart: number;
  /** 0-based index one past the record's last line. */
  readonly end: number;
}

export interface ControlRecord extends RecordBase {
  readonly kind: 'control';
  /** restart: stop (SIGTERM) and start the server again; kill: SIGKILL, then start. */
  readonly action: 'restart' | 'kill';
}

export type SltRecord = StatementRecord | QueryRecord | ControlRecord;

export class SltSyntaxError extends Error {
  constructor(file: string, line: number, message: string) {
    super(`${file}:${line}: ${message}`);
    this.name = 'SltSyntaxError';
  }
}

const sqlstatePattern = /^[0-9A-Z]{5}$/;
const typeLettersPattern = /^[IRTBD]+$/;
export const resultSeparator = '----';

export function parseSlt(text: string, file: string): SltRecord[] {
  const lines = text.split('\n');
  const records: SltRecord[] = [];
  let conditions: Condition[] = [];
  let conditionLine = 0;
  let index = 0;
  const fail = (lineIndex: number, message: string): never => {
    throw new SltSyntaxError(file, lineIndex + 1, message);
  };
  const isBlank = (lineIndex: number) => (lines[lineIndex] ?? '').trim() === '';

  while (index < lines.length) {
    const raw = lines[index] ?? '';
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) {
      if (line === '' && conditions.length > 0) fail(conditionLine, 'onlyif/skipif must be followed directly by a record');
      index++;
      continue;
    }
    const words = line.split(/\s+/);
    const head = words[0] ?? '';
    if (head === 'onlyif' || head === 'skipif') {
      const target = words[1] as Target;
      if (words.length !== 2 || !targets.includes(target)) fail(index, `expected "${head} eventide" or "${head} postgres"`);
      if (conditions.length === 0) conditionLine = index;
      conditions.push({ kind: head, target });
      index++;
      continue;
    }
    const header = index;
    index++;
    // The SQL runs until a blank line, the end of the file, or (for queries) the `----` line.
    const sqlStart = index;
    while (index < lines.length && !isBlank(index) && (lines[index] ?? '').trim() !== resultSeparator) index++;
    const sql = lines.slice(sqlStart, index).join('\n').trim();

    if (head === 'restart' || head === 'kill') {
      if (words.length !== 1 || sql !== '') fail(header, `"${head}" takes no arguments and no SQL`);
      records.push({ kind: 'control', action: head, line: header + 1, conditions });
    } else if (head === 'statement') {
      const mode = words[1];
      let errorCode: string | null = null;
      if (mode === 'error') {
        errorCode = words[2] ?? '';
        if (words.length !== 3 || !sqlstatePattern.test(errorCode)) fail(header, 'expected "statement error <SQLSTATE>"');
      } else if (mode !== 'ok' || words.length !== 2) {
        fail(header, 'expected "statement ok" or "statement error <SQLSTATE>"');
      }
      if (sql === '') fail(header, 'statement without SQL');
      if (index < lines.length && (lines[index] ?? '').trim() === resultSeparator) fail(index, 'a statement has no result rows');
      records.push({ kind: 'statement', line: header + 1, conditions, sql, errorCode });
    } else if (head === 'query') {
      const types = words[1] ?? '';
      const sortWord = words[2] ?? 'nosort';
      if (!typeLettersPattern.test(types)) fail(header, `bad column types "${types}": one letter per column out of I R T B D`);
      if (sortWord !== 'rowsort' && sortWord !== 'nosort') fail(header, `unknown sort mode "${sortWord}"`);
      if (words.length > 3) fail(header, 'expected "query <types> [rowsort|nosort]"');
      if (sql === '') fail(header, 'query without SQL');
      const resultStart = index;
      let expected: string[][] | null = null;
      if (index < lines.length && (lines[index] ?? '').trim() === resultSeparator) {
        index++;
        expected = [];
        while (index < lines.length && !isBlank(index)) {
          const values = (lines[index] ?? '').split('\t');
          if (values.length !== types.length) {
            fail(index, `row has ${values.length} values but the query declares ${types.length} columns`);
          }
          expected.push(values);
          index++;
        }
      }
      records.push({
        kind: 'query',
        line: header + 1,
        conditions,
        sql,
        types,
        sort: sortWord as SortMode,
        expected,
        resultStart,
        end: index,
      });
    } else {
      fail(header, `unknown record "${head}"`);
    }
    conditions = [];
  }
  if (conditions.length > 0) fail(conditionLine, 'onlyif/skipif at the end of the file');
  return records;
}

/** Whether a record runs on `target`, given its onlyif/skipif conditions. */
export function appliesTo(record: SltRecord, target: Target): boolean {
  return record.conditions.every((condition) =>
    condition.kind === 'onlyif' ? condition.target === target : condition.target !== target,
  );
}

/** Whether a query's SQL has a top-level-looking ORDER BY (a lint: nosort needs a defined order). */
export function hasOrderBy(sql: string): boolean {
  return /\border\s+by\b/i.test(sql);
}
