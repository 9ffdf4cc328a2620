/**
 * The SQL parser: PostgreSQL's own grammar (libpg-query, compiled to WASM) and a thin converter
 * from its raw parse tree into Eventide's typed AST (ast.ts). Syntax errors carry PostgreSQL's
 * message and 1-based position, so clients show the usual caret.
 */
import { loadModule, parseSync } from 'libpg-query';
import { DbError } from '../../storage/errors.js';
import type { Statement } from './ast.js';
import { convertStatement } from './convert-statement.js';

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
  let tree: { stmts?: RawStatement[] };
  try {
    tree = parseSync(sql) as { stmts?: RawStatement[] };
  } catch (error) {
    throw toSyntaxError(sql, error);
  }
  const out: ParsedSql[] = [];
  for (const raw of tree.stmts ?? []) {
    if (raw.stmt === undefined) continue;
    const start = raw.stmt_location ?? 0;
    const end = raw.stmt_len === undefined || raw.stmt_len === 0 ? sql.length : start + raw.stmt_len;
    const text = sql.slice(start, end).trim();
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
