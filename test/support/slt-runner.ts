/**
 * Runs the records of one .slt file against a target and collects every mismatch with its
 * file:line, the SQL, and expected versus actual. A configuration adds work between records:
 * a CHECKPOINT (tails flushed into segments) or a restart of the server after every statement,
 * so the same corpus also checks that persisted data reads back the same.
 */
import { ServerError, type QueryOutcome } from './slt-connection.js';
import { appliesTo, hasOrderBy, type QueryRecord, type SltRecord, type StatementRecord } from './slt-parser.js';
import type { SltTarget } from './slt-targets.js';
import { encodeValue, rowLines, typeLetter } from './slt-values.js';

/** plain: records only; checkpoint: CHECKPOINT after every statement; restart: restart after every statement. */
export type SltConfig = 'plain' | 'checkpoint' | 'restart';
export const sltConfigs: readonly SltConfig[] = ['plain', 'checkpoint', 'restart'];

export interface RunOptions {
  readonly config: SltConfig;
  /** Run only the record at this 1-based line, after the statements and restarts before it (its setup). */
  readonly onlyLine?: number;
  /** Stop at the first mismatch instead of reporting them all. */
  readonly failFast?: boolean;
}

export interface SltFailure {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

export interface FileOutcome {
  readonly executed: number;
  readonly skipped: number;
  readonly failures: SltFailure[];
}

export async function runSlt(
  records: readonly SltRecord[],
  file: string,
  target: SltTarget,
  options: RunOptions,
): Promise<FileOutcome> {
  const failures: SltFailure[] = [];
  let executed = 0;
  let skipped = 0;
  const selected = options.onlyLine === undefined ? undefined : recordAtLine(records, options.onlyLine);
  if (options.onlyLine !== undefined && selected === undefined) {
    return { executed, skipped, failures: [{ file, line: options.onlyLine, message: 'no record at or before this line' }] };
  }
  for (const record of records) {
    if (selected !== undefined) {
      if (record.line > selected.line) break;
      // Before the chosen record only what builds state runs: statements, restarts.
      if (record !== selected && record.kind === 'query') continue;
    }
    if (!appliesTo(record, target.name)) {
      skipped++;
      continue;
    }
    executed++;
    try {
      const mismatch = await runRecord(record, target);
      if (mismatch !== null) failures.push({ file, line: record.line, message: mismatch });
      // Queries change nothing, so only statements are followed by a checkpoint or restart.
      if (record.kind === 'statement') await afterStatement(target, options.config);
    } catch (error) {
      // Thrown, not returned: the connection or the server is gone, so the rest of the file cannot run.
      const message = error instanceof Error ? error.message : String(error);
      failures.push({ file, line: record.line, message: `${message}\n${sqlOf(record)}${serverLog(target)}` });
      break;
    }
    if (options.failFast && failures.length > 0) break;
  }
  return { executed, skipped, failures };
}

function recordAtLine(records: readonly SltRecord[], line: number): SltRecord | undefined {
  let found: SltRecord | undefined;
  for (const record of records) if (record.line <= line) found = record;
  return found;
}

async function runRecord(record: SltRecord, target: SltTarget): Promise<string | null> {
  switch (record.kind) {
    case 'control':
      await control(() => (record.action === 'kill' ? target.kill() : target.restart()), record.action);
      return null;
    case 'statement':
      return checkStatement(record, await execute(target, record.sql));
    case 'query':
      return checkQuery(record, await execute(target, record.sql));
  }
}

async function control(action: () => Promise<void>, what: string): Promise<void> {
  try {
    await action();
  } catch (error) {
    throw new Error(`${what} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The outcome of running SQL: rows, or the server's error. Anything else is fatal for the file. */
async function execute(target: SltTarget, sql: string): Promise<QueryOutcome | ServerError> {
  try {
    return await target.connection.query(sql);
  } catch (error) {
    if (error instanceof ServerError) return error;
    throw new Error(`connection failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function afterStatement(target: SltTarget, config: SltConfig): Promise<void> {
  if (config === 'plain' || target.connection.inTransaction) return;
  if (config === 'restart') return control(() => target.restart(), 'restart after statement');
  const outcome = await execute(target, 'CHECKPOINT');
  if (outcome instanceof ServerError) throw new Error(`CHECKPOINT failed: ${outcome.code} ${outcome.message}`);
}

export function checkStatement(record: StatementRecord, outcome: QueryOutcome | ServerError): string | null {
  if (record.errorCode === null) {
    if (!(outcome instanceof ServerError)) return null;
    return `statement failed: ${outcome.code} ${outcome.message}\n${sqlOf(record)}`;
  }
  if (!(outcome instanceof ServerError)) return `statement succeeded, expected error ${record.errorCode}\n${sqlOf(record)}`;
  if (outcome.code === record.errorCode) return null;
  return `expected error ${record.errorCode}, got ${outcome.code} ${outcome.message}\n${sqlOf(record)}`;
}

function checkQuery(record: QueryRecord, outcome: QueryOutcome | ServerError): string | null {
  if (outcome instanceof ServerError) return `query failed: ${outcome.code} ${outcome.message}\n${sqlOf(record)}`;
  if (record.expected === null) return `query has no recorded results (run: npm run record)\n${sqlOf(record)}`;
  if (outcome.typeOids === null) return `query returned no row description\n${sqlOf(record)}`;
  const letters = outcome.typeOids.map(typeLetter).join('');
  if (letters !== record.types) {
    return `column types: expected ${record.types}, got ${letters} (type OIDs ${outcome.typeOids.join(', ')})\n${sqlOf(record)}`;
  }
  let actual: string[];
  try {
    actual = rowLines(outcome.rows.map((row) => row.map(encodeValue)), record.sort);
  } catch (error) {
    return `${error instanceof Error ? error.message : String(error)}\n${sqlOf(record)}`;
  }
  if (needsRowsort(record, record.expected.length)) {
    return `query has several rows but neither ORDER BY nor rowsort: its order is not defined\n${sqlOf(record)}`;
  }
  const expected = rowLines(record.expected, record.sort);
  const differsAt = firstDifference(expected, actual);
  if (differsAt < 0) return null;
  return (
    `query result mismatch at row ${differsAt + 1}\n${sqlOf(record)}\n` +
    `expected (${expected.length} rows):\n${indent(expected)}\nactual (${actual.length} rows):\n${indent(actual)}`
  );
}

function firstDifference(expected: readonly string[], actual: readonly string[]): number {
  const length = Math.max(expected.length, actual.length);
  for (let i = 0; i < length; i++) if (expected[i] !== actual[i]) return i;
  return -1;
}

const shownRowsLimit = 40;

function indent(lines: readonly string[]): string {
  const shown = lines.slice(0, shownRowsLimit).map((line) => `    ${line}`);
  if (lines.length > shownRowsLimit) shown.push(`    ... ${lines.length - shownRowsLimit} more`);
  return shown.join('\n');
}

function sqlOf(record: SltRecord): string {
  if (record.kind === 'control') return `  (${record.action})`;
  return `  SQL: ${record.sql.split('\n').join('\n       ')}`;
}

function serverLog(target: SltTarget): string {
  const log = target.log().trim();
  if (log === '') return '';
  const tail = log.split('\n').slice(-30).join('\n');
  return `\n  server log (last lines):\n${tail}`;
}

/** A query without ORDER BY returning several rows must be rowsort: its row order is not defined. */
export function needsRowsort(record: QueryRecord, rowCount: number): boolean {
  return record.sort === 'nosort' && rowCount > 1 && !hasOrderBy(record.sql);
}

const shownFailuresLimit = Number(process.env['SLT_SHOW'] ?? 25);

/** One readable report of a file's failures (the first ones: later ones tend to follow from them). */
export function formatFailures(failures: readonly SltFailure[], config: SltConfig, outcome: FileOutcome): string {
  const header = `${failures.length} of ${outcome.executed} records failed (config ${config})`;
  const shown = failures.slice(0, shownFailuresLimit).map((failure) => `${failure.file}:${failure.line}: ${failure.message}`);
  if (failures.length > shownFailuresLimit) shown.push(`... and ${failures.length - shownFailuresLimit} more`);
  return [header, ...shown].join('\n\n');
}
