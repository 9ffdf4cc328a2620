/**
 * A fast path of the parser for the statement ingestion tools send most: `INSERT INTO t [(cols)]
 * VALUES (...), (...)` whose values are plain literals (strings, numbers, NULL, TRUE, FALSE,
 * DEFAULT). PostgreSQL's grammar through libpg-query costs tens of microseconds per row for such a
 * list (the WASM parse and its JSON tree); this scanner builds the same AST in one pass.
 *
 * It only ever accepts text that PostgreSQL's grammar parses into exactly that AST: the part before
 * VALUES goes through libpg-query once per distinct text (cached), and anything else the scanner
 * does not recognise (comments, casts, expressions, E'' strings, a second statement, RETURNING ...)
 * makes it answer null, so the caller parses the whole text the usual way. Locations are byte
 * offsets, as libpg-query reports them.
 */
import type * as Ast from './ast.js';

type InsertStatement = Extract<Ast.Statement, { kind: 'insert' }>;
type Header = Pick<InsertStatement, 'table' | 'columns'>;

/** Verified headers (`INSERT INTO t (cols)`) by text; small, since applications send few shapes. */
const headers = new Map<string, Header | null>();
const maxHeaders = 256;

const quote = 0x27;
const comma = 0x2c;
const openParen = 0x28;
const closeParen = 0x29;
const minus = 0x2d;
const dot = 0x2e;
const semicolon = 0x3b;

function isSpace(c: number): boolean {
  // PostgreSQL's lexer: space, \t, \n, \r, \f, \v.
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Identifier characters, including the `$` PostgreSQL allows after the first, and any non-ASCII. */
function isIdentifierChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || isDigit(c) || c === 0x5f || c === 0x24 || c >= 0x80;
}

const maxInt4 = 2147483647;

class Scanner {
  at = 0;
  /** Byte offset of `byteAtIndex` when the text is not ASCII (locations are byte offsets). */
  private byteIndex = 0;
  private byteOffset = 0;

  constructor(
    readonly sql: string,
    private readonly ascii: boolean,
  ) {}

  location(index: number): number {
    if (this.ascii) return index;
    this.byteOffset += Buffer.byteLength(this.sql.slice(this.byteIndex, index), 'utf8');
    this.byteIndex = index;
    return this.byteOffset;
  }

  skipSpace(): void {
    const sql = this.sql;
    while (this.at < sql.length && isSpace(sql.charCodeAt(this.at))) this.at++;
  }

  /** A case-insensitive keyword (ASCII letters) that is not followed by an identifier character. */
  keyword(word: string): boolean {
    const end = this.at + word.length;
    if (end > this.sql.length || this.sql.slice(this.at, end).toLowerCase() !== word) return false;
    if (end < this.sql.length && isIdentifierChar(this.sql.charCodeAt(end))) return false;
    this.at = end;
    return true;
  }

  /** One value of a VALUES row, or null for anything but a plain literal. */
  value(): Ast.Expr | null {
    const sql = this.sql;
    const start = this.at;
    const c = sql.charCodeAt(start);
    if (c === quote) return this.string();
    if (isDigit(c) || c === dot) return this.number(start, false);
    if (c === minus) {
      const next = sql.charCodeAt(start + 1);
      if (!isDigit(next) && next !== dot) return null;
      this.at++;
      return this.number(start, true);
    }
    if (this.keyword('null')) return { kind: 'literal', value: { kind: 'null' }, location: this.location(start) };
    if (this.keyword('true')) return { kind: 'literal', value: { kind: 'bool', value: true }, location: this.location(start) };
    if (this.keyword('false')) return { kind: 'literal', value: { kind: 'bool', value: false }, location: this.location(start) };
    if (this.keyword('default')) return { kind: 'default', location: this.location(start) };
    return null;
  }

  private string(): Ast.Expr | null {
    const sql = this.sql;
    const start = this.at;
    let text = '';
    let from = start + 1;
    for (;;) {
      const close = sql.indexOf("'", from);
      if (close < 0) return null;
      text += sql.slice(from, close);
      if (sql.charCodeAt(close + 1) === quote) {
        // '' inside a string is one quote.
        text += "'";
        from = close + 2;
        continue;
      }
      this.at = close + 1;
      break;
    }
    // 'a' 'b' across a newline is one string in PostgreSQL: leave such text to the grammar.
    let after = this.at;
    while (after < sql.length && isSpace(sql.charCodeAt(after))) after++;
    if (sql.charCodeAt(after) === quote) return null;
    return { kind: 'literal', value: { kind: 'string', text }, location: this.location(start) };
  }

  /** integer, decimal or real as PostgreSQL's lexer reads them; `-` folded in as its grammar does. */
  private number(start: number, negative: boolean): Ast.Expr | null {
    const sql = this.sql;
    const digitsStart = this.at;
    let i = digitsStart;
    while (isDigit(sql.charCodeAt(i))) i++;
    let integer = true;
    if (sql.charCodeAt(i) === dot) {
      integer = false;
      i++;
      while (isDigit(sql.charCodeAt(i))) i++;
      if (i === digitsStart + 1) return null;
    }
    const e = sql.charCodeAt(i);
    if (e === 0x65 || e === 0x45) {
      integer = false;
      i++;
      const sign = sql.charCodeAt(i);
      if (sign === 0x2b || sign === minus) i++;
      if (!isDigit(sql.charCodeAt(i))) return null;
      while (isDigit(sql.charCodeAt(i))) i++;
    }
    // 1.2.3, 12abc, 1..2: the grammar decides what those are.
    const next = sql.charCodeAt(i);
    if (i < sql.length && !isSpace(next) && next !== comma && next !== closeParen) return null;
    const digits = sql.slice(digitsStart, i);
    this.at = i;
    const location = this.location(start);
    if (integer) {
      const value = Number(digits);
      // Integers beyond int4 are Float nodes holding their text, as in PostgreSQL's lexer.
      if (value <= maxInt4) return { kind: 'literal', value: { kind: 'integer', text: String(negative ? -value : value) }, location };
    }
    return { kind: 'literal', value: { kind: 'float', text: negative ? `-${digits}` : digits }, location };
  }
}

/**
 * Where the header `INSERT INTO name [(name, ...)]` ends (at VALUES), or -1 when the text starts
 * otherwise. Only names, dots, parentheses and commas may appear; the grammar checks the rest.
 */
function headerEnd(scanner: Scanner): number {
  scanner.skipSpace();
  if (!scanner.keyword('insert')) return -1;
  scanner.skipSpace();
  if (!scanner.keyword('into')) return -1;
  const sql = scanner.sql;
  for (;;) {
    scanner.skipSpace();
    if (scanner.keyword('values')) return scanner.at - 'values'.length;
    const c = sql.charCodeAt(scanner.at);
    if (isIdentifierChar(c)) {
      while (scanner.at < sql.length && isIdentifierChar(sql.charCodeAt(scanner.at))) scanner.at++;
    } else if (c === dot || c === openParen || c === closeParen || c === comma) {
      scanner.at++;
    } else {
      return -1;
    }
  }
}

/** The table and columns of a header, as libpg-query parses it (cached by text). */
function verifiedHeader(header: string, parseWithGrammar: (sql: string) => Ast.Statement | null): Header | null {
  let known = headers.get(header);
  if (known !== undefined || headers.has(header)) return known ?? null;
  let statement: Ast.Statement | null = null;
  try {
    statement = parseWithGrammar(`${header}VALUES (NULL)`);
  } catch {
    // Not a header after all (a column named "values", DEFAULT VALUES ...): the full parse decides.
  }
  const source = statement?.kind === 'insert' ? statement.source : null;
  const isProbe = source?.kind === 'values' && source.rows.length === 1 && source.rows[0]?.length === 1 && source.rows[0][0]?.kind === 'literal';
  known = statement?.kind === 'insert' && !statement.returning && isProbe ? { table: statement.table, columns: statement.columns } : null;
  if (headers.size >= maxHeaders) headers.clear();
  headers.set(header, known);
  return known;
}

/**
 * The statement `sql` as the grammar would convert it, or null when `sql` is not a single INSERT
 * of plain literal VALUES rows. `parseWithGrammar` parses one statement the usual way (it may
 * throw on bad syntax; that is left to the caller's full parse).
 */
export function parseInsertValues(
  sql: string,
  parseWithGrammar: (sql: string) => Ast.Statement | null,
): { statement: InsertStatement; text: string } | null {
  if (!/^\s*insert\s/i.test(sql)) return null;
  // eslint-disable-next-line no-control-regex
  const scanner = new Scanner(sql, !/[^\x00-\x7f]/.test(sql));
  const valuesAt = headerEnd(scanner);
  if (valuesAt < 0) return null;
  const rows: Ast.Expr[][] = [];
  for (;;) {
    scanner.skipSpace();
    if (sql.charCodeAt(scanner.at) !== openParen) return null;
    scanner.at++;
    const row: Ast.Expr[] = [];
    for (;;) {
      scanner.skipSpace();
      const value = scanner.value();
      if (value === null) return null;
      row.push(value);
      scanner.skipSpace();
      const c = sql.charCodeAt(scanner.at++);
      if (c === closeParen) break;
      if (c !== comma) return null;
    }
    rows.push(row);
    scanner.skipSpace();
    if (sql.charCodeAt(scanner.at) !== comma) break;
    scanner.at++;
  }
  const end = scanner.at;
  if (sql.charCodeAt(scanner.at) === semicolon) scanner.at++;
  scanner.skipSpace();
  if (scanner.at !== sql.length) return null;
  const header = verifiedHeader(sql.slice(0, valuesAt), parseWithGrammar);
  if (header === null) return null;
  const source: Ast.Query = { kind: 'values', rows, orderBy: [], limit: null, offset: null, location: -1 };
  return { statement: { kind: 'insert', table: header.table, columns: header.columns, source, returning: false }, text: sql.slice(0, end).trim() };
}
