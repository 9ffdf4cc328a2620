/**
 * Records the expected results of one .slt file from PostgreSQL: runs every record PostgreSQL
 * should run (onlyif postgres included, onlyif eventide skipped) and returns the file's text with
 * the rows of each query record replaced by what PostgreSQL printed. Every other line is kept as
 * written. Statements are checked, not rewritten: `statement ok` must succeed and
 * `statement error <SQLSTATE>` must fail with exactly that code.
 */
import { ServerError, type QueryOutcome } from '../support/slt-connection.js';
import { appliesTo, parseSlt, resultSeparator, type QueryRecord } from '../support/slt-parser.js';
import { checkStatement, needsRowsort } from '../support/slt-runner.js';
import type { SltTarget } from '../support/slt-targets.js';
import { encodeValue, rowLines, typeLetter } from '../support/slt-values.js';

export interface RecordingOptions {
  /** Rewrite a query's type letters to what PostgreSQL returns instead of reporting the difference. */
  readonly updateTypes: boolean;
}

export interface Recording {
  /** The file with recorded results; meaningful only when `problems` is empty. */
  readonly text: string;
  readonly queries: number;
  readonly problems: string[];
}

interface Replacement {
  readonly start: number;
  readonly end: number;
  readonly lines: string[];
}

export async function recordFile(
  text: string,
  file: string,
  target: SltTarget,
  options: RecordingOptions,
): Promise<Recording> {
  const records = parseSlt(text, file);
  const lines = text.split('\n');
  const replacements: Replacement[] = [];
  const problems: string[] = [];
  let queries = 0;
  for (const record of records) {
    const where = `${file}:${record.line}`;
    if (!appliesTo(record, 'postgres')) {
      if (record.kind === 'query') problems.push(`${where}: a query record must run on PostgreSQL, which records its results`);
      continue;
    }
    if (record.kind === 'control') {
      await target.restart();
      continue;
    }
    const outcome = await execute(target, record.sql);
    if (record.kind === 'statement') {
      const mismatch = checkStatement(record, outcome);
      if (mismatch !== null) problems.push(`${where}: ${mismatch}`);
      continue;
    }
    queries++;
    if (outcome instanceof ServerError) {
      problems.push(`${where}: query failed in PostgreSQL: ${outcome.code} ${outcome.message}\n  SQL: ${record.sql}`);
      continue;
    }
    const recorded = recordQuery(record, outcome, lines, options, where);
    if (typeof recorded === 'string') problems.push(recorded);
    else replacements.push(...recorded);
  }
  for (const replacement of replacements.sort((a, b) => b.start - a.start)) {
    lines.splice(replacement.start, replacement.end - replacement.start, ...replacement.lines);
  }
  return { text: lines.join('\n'), queries, problems };
}

async function execute(target: SltTarget, sql: string): Promise<QueryOutcome | ServerError> {
  try {
    return await target.connection.query(sql);
  } catch (error) {
    if (error instanceof ServerError) return error;
    throw error;
  }
}

/** The line replacements that write a query's results (and, if asked, its type letters). */
function recordQuery(
  record: QueryRecord,
  outcome: QueryOutcome,
  lines: readonly string[],
  options: RecordingOptions,
  where: string,
): Replacement[] | string {
  if (outcome.typeOids === null) return `${where}: query returned no rows description; use "statement ok"`;
  const letters = outcome.typeOids.map(typeLetter).join('');
  const replacements: Replacement[] = [];
  if (letters !== record.types) {
    if (!options.updateTypes) {
      return `${where}: column types are ${letters} in PostgreSQL but the record says ${record.types} (--update-types rewrites them)`;
    }
    const headerIndex = record.line - 1;
    const header = lines[headerIndex] ?? '';
    replacements.push({ start: headerIndex, end: headerIndex + 1, lines: [header.replace(/^(\s*query\s+)\S+/, `$1${letters}`)] });
  }
  if (needsRowsort(record, outcome.rows.length)) {
    return `${where}: ${outcome.rows.length} rows without ORDER BY: mark the query rowsort\n  SQL: ${record.sql}`;
  }
  let rows: string[];
  try {
    rows = rowLines(outcome.rows.map((row) => row.map(encodeValue)), record.sort);
  } catch (error) {
    return `${where}: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (rows.some((row) => /\s$/.test(row))) {
    return `${where}: a row ends in whitespace, which editors strip; select that column earlier or trim the value`;
  }
  replacements.push({ start: record.resultStart, end: record.end, lines: [resultSeparator, ...rows] });
  return replacements;
}
