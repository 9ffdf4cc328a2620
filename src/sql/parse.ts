/**
 * The SQL parser: PostgreSQL's own grammar (libpg-query, compiled to WASM) and a thin converter
 * from its raw parse tree into Eventide's typed AST (ast.ts). Syntax errors carry PostgreSQL's
 * message and 1-based position, so clients show the usual caret.
 */
import { loadModule, parseSync } from 'libpg-query';
import { DbError } from '../../storage/errors.js';
import type { Statement } from './ast.js';
import { convertStatement } from './convert-statement.js';
import { parseInsertValues } from './parse-insert-values.js';

await loadModule();

export interface ParsedSql {
  /** The statement's own text (without the separating semicolon). */
  readonly sql: string;
  /** The whole query string, so error positions stay relative to what the client sent. */
  readonly fullSql: string;
  readonly statement: Statement;
}

interface RawStatement {
  stmt?: Record<string, unknown>;
  stmt_location?: number;
  stmt_len?: number;
}

/** Parses one query string into statements. Throws DbError 42601 on a syntax error. */
export function parseSql(sql: string): ParsedSql[] {
  const insert = parseInsertValues(sql, grammarStatement);
  if (insert !== null) return [{ sql: insert.text, fullSql: sql, statement: insert.statement }];
  return parseWithGrammar(sql);
}

/** The one statement of `sql` through the grammar, or null when it holds another count. */
function grammarStatement(sql: string): Statement | null {
  const parsed = parseWithGrammar(sql);
  return parsed.length === 1 ? (parsed[0] as ParsedSql).statement : null;
}

/** Through libpg-query only (the fast paths are checked against it). */
export function parseWithGrammar(sql: string): ParsedSql[] {
  let tree: { stmts?: RawStatement[] };
  try {
    tree = parseSync(sql) as { stmts?: RawStatement[] };
  } catch (error) {
    throw toSyntaxError(sql, error);
  }
  const out: ParsedSql[] = [];
  // Statement bounds are byte offsets: slice bytes unless every character is one byte.
  // eslint-disable-next-line no-control-regex
  const bytes = /[^\x00-\x7f]/.test(sql) ? Buffer.from(sql, 'utf8') : null;
  for (const raw of tree.stmts ?? []) {
    if (raw.stmt === undefined) continue;
    const start = raw.stmt_location ?? 0;
    const length = bytes === null ? sql.length : bytes.length;
    const end = raw.stmt_len === undefined || raw.stmt_len === 0 ? length : start + raw.stmt_len;
    const text = (bytes === null ? sql.slice(start, end) : bytes.toString('utf8', start, end)).trim();
    out.push({ sql: text, fullSql: sql, statement: convertStatement(raw.stmt, sql) });
  }
  return out;
}

function toSyntaxError(sql: string, error: unknown): DbError {
  if (error instanceof RangeError || /call stack/i.test(String((error as Error)?.message))) {
    return new DbError('54001', 'stack depth limit exceeded', { hint: 'The statement nests expressions too deeply.' });
  }
  const details = (error as { sqlDetails?: { message?: string; cursorPosition?: number } }).sqlDetails;
  const message = details?.message ?? (error instanceof Error ? error.message : String(error));
  // libpg-query's cursorPosition is a 0-based byte offset; ErrorResponse wants a 1-based
  // character position.
  let position: number | undefined;
  if (details?.cursorPosition !== undefined) {
    const bytes = Buffer.from(sql, 'utf8').subarray(0, details.cursorPosition);
    position = bytes.toString('utf8').length + 1;
  }
  return new DbError('42601', message, position === undefined ? {} : { position });
}
