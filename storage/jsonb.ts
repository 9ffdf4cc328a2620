/**
 * jsonb input and output as PostgreSQL 15 does them. A jsonb value lives as its normalized
 * output text: object keys de-duplicated (the last one wins) and sorted (shorter UTF-8 byte
 * length first, then bytewise), ", " and ": " separators, numbers as numeric_out prints them
 * (1e2 -> 100, 1.50 stays 1.50, -0 -> 0), strings re-escaped with \uXXXX for other control
 * characters. Parsing is strict JSON with PostgreSQL's error codes and details.
 */
import { DbError } from './errors.js';
import { invalidJson, JsonLexer, Token } from './jsonb-lexer.js';
import { formatDecimal, parseDecimalText } from './numeric-decimal.js';

/**
 * Nesting deeper than this fails as PostgreSQL's stack depth check would (PostgreSQL 15 with its
 * default 2MB max_stack_depth accepts about 14,000 levels; the exact point depends on its build).
 */
const MAX_DEPTH = 10_000;

/** An open container: an array's items so far, or an object's entries and its pending key. */
interface Frame {
  readonly items: string[] | null;
  readonly entries: Map<string, string> | null;
  key: string;
}

const stackDepthExceeded = () =>
  new DbError('54001', 'stack depth limit exceeded', {
    hint: 'Increase the configuration parameter "max_stack_depth" (currently 2048kB), after ensuring the platform\'s stack depth limit is adequate.',
  });

function serializeObject(entries: Map<string, string>): string {
  const keys = [...entries.keys()].sort(compareJsonbKeys);
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (i > 0) out += ', ';
    out += quoteJsonString(key) + ': ' + (entries.get(key) as string);
  }
  return out + '}';
}

class JsonParser {
  private readonly lexer: JsonLexer;

  constructor(text: string) {
    this.lexer = new JsonLexer(text);
  }

  /** Where the token the parser stopped at ends (for an error's context). */
  get errorEnd(): number {
    return this.lexer.tokenEnd;
  }

  private get token(): Token {
    return this.lexer.token;
  }

  private get stringValue(): string {
    return this.lexer.stringValue;
  }

  private next(): void {
    this.lexer.next();
  }

  parseDocument(): string {
    this.next();
    const value = this.parseValue();
    if (!this.is(Token.End)) throw invalidJson(`Expected end of input, but found "${this.tokenText()}".`);
    return value;
  }

  private is(token: Token): boolean {
    return this.token === token;
  }

  private tokenText(): string {
    return this.lexer.tokenText();
  }

  private unexpected(expected: string): DbError {
    if (this.token === Token.End) return invalidJson('The input string ended unexpectedly.');
    return invalidJson(`${expected}, but found "${this.tokenText()}".`);
  }

  /** After an object key: the colon, leaving the parser at the value. */
  private expectColon(): void {
    this.next();
    if (!this.is(Token.Colon)) throw this.unexpected('Expected ":"');
    this.next();
  }

  /**
   * One value, nested containers included. Iterative with an explicit stack of open containers,
   * so deep documents cannot overflow the JS stack.
   */
  private parseValue(): string {
    const stack: Frame[] = [];
    for (;;) {
      let value: string;
      switch (this.token) {
        case Token.ObjectStart:
          if (stack.length >= MAX_DEPTH) throw stackDepthExceeded();
          this.next();
          if (this.is(Token.ObjectEnd)) {
            this.next();
            value = '{}';
            break;
          }
          if (!this.is(Token.String)) throw this.unexpected('Expected string or "}"');
          stack.push({ items: null, entries: new Map(), key: this.stringValue });
          this.expectColon();
          continue;
        case Token.ArrayStart:
          if (stack.length >= MAX_DEPTH) throw stackDepthExceeded();
          this.next();
          if (this.is(Token.ArrayEnd)) {
            this.next();
            value = '[]';
            break;
          }
          stack.push({ items: [], entries: null, key: '' });
          continue;
        case Token.String:
          value = quoteJsonString(this.stringValue);
          this.next();
          break;
        case Token.Number:
          value = formatDecimal(parseDecimalText(this.tokenText()));
          this.next();
          break;
        case Token.True:
          value = 'true';
          this.next();
          break;
        case Token.False:
          value = 'false';
          this.next();
          break;
        case Token.Null:
          value = 'null';
          this.next();
          break;
        default:
          throw this.unexpected('Expected JSON value');
      }
      // Hand the finished value to the innermost open container, closing containers as they end.
      for (;;) {
        const frame = stack[stack.length - 1];
        if (frame === undefined) return value;
        if (frame.items !== null) {
          frame.items.push(value);
          if (this.is(Token.Comma)) {
            this.next();
            break;
          }
          if (!this.is(Token.ArrayEnd)) throw this.unexpected('Expected "," or "]"');
          this.next();
          stack.pop();
          value = '[' + frame.items.join(', ') + ']';
          continue;
        }
        const entries = frame.entries as Map<string, string>;
        entries.delete(frame.key);
        entries.set(frame.key, value);
        if (this.is(Token.Comma)) {
          this.next();
          if (!this.is(Token.String)) throw this.unexpected('Expected string');
          frame.key = this.stringValue;
          this.expectColon();
          break;
        }
        if (!this.is(Token.ObjectEnd)) throw this.unexpected('Expected "," or "}"');
        this.next();
        stack.pop();
        value = serializeObject(entries);
      }
    }
  }
}

/** escape_json: a JSON string literal as PostgreSQL prints it. */
export function quoteJsonString(value: string): string {
  let out = '"';
  let chunkStart = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x20 && c !== 34 && c !== 92) continue;
    out += value.slice(chunkStart, i);
    chunkStart = i + 1;
    switch (c) {
      case 8:
        out += '\\b';
        break;
      case 12:
        out += '\\f';
        break;
      case 10:
        out += '\\n';
        break;
      case 13:
        out += '\\r';
        break;
      case 9:
        out += '\\t';
        break;
      case 34:
        out += '\\"';
        break;
      case 92:
        out += '\\\\';
        break;
      default:
        out += '\\u' + c.toString(16).padStart(4, '0');
    }
  }
  return out + value.slice(chunkStart) + '"';
}

/** jsonb's key order: shorter UTF-8 length first, then bytewise (code point order). */
export function compareJsonbKeys(a: string, b: string): number {
  if (a === b) return 0;
  const lengthA = Buffer.byteLength(a);
  const lengthB = Buffer.byteLength(b);
  if (lengthA !== lengthB) return lengthA - lengthB;
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** jsonb_in: the normalized text of a JSON document. */
export function parseJsonb(text: string): string {
  const parser = new JsonParser(text);
  try {
    return parser.parseDocument();
  } catch (error) {
    throw withJsonContext(error, text, parser.errorEnd);
  }
}

/**
 * PostgreSQL's context for a JSON syntax error: the line up to the end of the offending token
 * (its last 49 characters, "..." before when cut), and "..." after when more input follows.
 */
function withJsonContext(error: unknown, text: string, end: number): unknown {
  if (!(error instanceof DbError) || (error.code !== '22P02' && error.code !== '22P05') || error.fields.where !== undefined) return error;
  const lineStart = text.lastIndexOf('\n', end - 1) + 1;
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < lineStart; i = text.indexOf('\n', i + 1)) line++;
  // At most 49 characters, unless that would cut only 3 or fewer off the line's start.
  let start = end - lineStart >= 50 ? end - 49 : lineStart;
  if (start - lineStart <= 3) start = lineStart;
  const next = text.charCodeAt(end);
  const suffix = end < text.length && next !== 0x0a && next !== 0x0d ? '...' : '';
  const where = `JSON data, line ${line}: ${start > lineStart ? '...' : ''}${text.slice(start, end)}${suffix}`;
  return new DbError(error.code, error.message, { ...error.fields, where }, error.severity);
}
