/**
 * jsonb input and output as PostgreSQL 15 does them. A jsonb value lives as its normalized
 * output text: object keys de-duplicated (the last one wins) and sorted (shorter UTF-8 byte
 * length first, then bytewise), ", " and ": " separators, numbers as numeric_out prints them
 * (1e2 -> 100, 1.50 stays 1.50, -0 -> 0), strings re-escaped with \uXXXX for other control
 * characters. Parsing is strict JSON with PostgreSQL's error codes and details.
 */
import { DbError } from './errors.js';
import { formatDecimal, parseDecimalText } from './numeric-decimal.js';

/**
 * Nesting deeper than this fails as PostgreSQL's stack depth check would (PostgreSQL 15 with its
 * default 2MB max_stack_depth accepts about 14,000 levels; the exact point depends on its build).
 */
const MAX_DEPTH = 10_000;

const invalidJson = (detail: string) => new DbError('22P02', 'invalid input syntax for type json', { detail });

const enum Token {
  End,
  ObjectStart,
  ObjectEnd,
  ArrayStart,
  ArrayEnd,
  Comma,
  Colon,
  String,
  Number,
  True,
  False,
  Null,
}

function isWordCode(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95 || code >= 128
  );
}

const punctuationTokens: Readonly<Record<number, Token>> = {
  123: Token.ObjectStart,
  125: Token.ObjectEnd,
  91: Token.ArrayStart,
  93: Token.ArrayEnd,
  44: Token.Comma,
  58: Token.Colon,
};

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
  private at = 0;
  private token: Token = Token.End;
  private tokenStart = 0;
  private tokenEnd = 0;
  /** The de-escaped value of the current string token. */
  private stringValue = '';

  constructor(private readonly text: string) {}

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
    return this.text.slice(this.tokenStart, this.tokenEnd);
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

  /** json_lex: advances to the next token. */
  private next(): void {
    const text = this.text;
    let at = this.at;
    while (at < text.length) {
      const c = text.charCodeAt(at);
      if (c === 32 || c === 9 || c === 10 || c === 13) at++;
      else break;
    }
    this.tokenStart = at;
    if (at >= text.length) {
      this.token = Token.End;
      this.tokenEnd = at;
      this.at = at;
      return;
    }
    const c = text.charCodeAt(at);
    const single = punctuationTokens[c];
    if (single !== undefined) {
      this.token = single;
      this.tokenEnd = this.at = at + 1;
      return;
    }
    if (c === 34) {
      this.lexString(at);
      return;
    }
    if (c === 45 || (c >= 48 && c <= 57)) {
      this.lexNumber(at);
      return;
    }
    let end = at;
    while (end < text.length && isWordCode(text.charCodeAt(end))) end++;
    if (end === at) {
      const width = c >= 0xd800 && c <= 0xdbff ? 2 : 1;
      this.tokenEnd = at + width;
      throw invalidJson(`Token "${this.tokenText()}" is invalid.`);
    }
    this.tokenEnd = this.at = end;
    const word = text.slice(at, end);
    if (word === 'true') this.token = Token.True;
    else if (word === 'false') this.token = Token.False;
    else if (word === 'null') this.token = Token.Null;
    else throw invalidJson(`Token "${word}" is invalid.`);
  }

  private lexNumber(start: number): void {
    const text = this.text;
    const length = text.length;
    let at = start;
    let error = false;
    const digit = (i: number) => i < length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57;
    if (text.charCodeAt(at) === 45) at++;
    if (at < length && text.charCodeAt(at) === 48) at++;
    else if (digit(at)) while (digit(at)) at++;
    else error = true;
    if (at < length && text.charCodeAt(at) === 46) {
      at++;
      if (!digit(at)) error = true;
      else while (digit(at)) at++;
    }
    if (at < length && (text.charCodeAt(at) === 101 || text.charCodeAt(at) === 69)) {
      at++;
      if (at < length && (text.charCodeAt(at) === 43 || text.charCodeAt(at) === 45)) at++;
      if (!digit(at)) error = true;
      else while (digit(at)) at++;
    }
    while (at < length && isWordCode(text.charCodeAt(at))) {
      error = true;
      at++;
    }
    this.tokenEnd = this.at = at;
    if (error) throw invalidJson(`Token "${this.tokenText()}" is invalid.`);
    this.token = Token.Number;
  }

  private lexString(start: number): void {
    const text = this.text;
    const length = text.length;
    let at = start + 1;
    let out = '';
    let chunkStart = at;
    let highSurrogate = -1;
    for (;;) {
      if (at >= length) {
        this.tokenEnd = length;
        throw invalidJson(`Token "${this.tokenText()}" is invalid.`);
      }
      const c = text.charCodeAt(at);
      if (c === 34) break;
      if (c < 0x20) {
        throw invalidJson(`Character with value 0x${c.toString(16).padStart(2, '0')} must be escaped.`);
      }
      if (c !== 92) {
        if (highSurrogate !== -1) throw invalidJson('Unicode low surrogate must follow a high surrogate.');
        at++;
        continue;
      }
      out += text.slice(chunkStart, at);
      at++;
      if (at >= length) {
        this.tokenEnd = length;
        throw invalidJson(`Token "${this.tokenText()}" is invalid.`);
      }
      const escape = text[at] as string;
      if (escape === 'u') {
        let code = 0;
        for (let i = 1; i <= 4; i++) {
          if (at + i >= length) {
            this.tokenEnd = length;
            throw invalidJson(`Token "${this.tokenText()}" is invalid.`);
          }
          const h = hexValue(text.charCodeAt(at + i));
          if (h < 0) throw invalidJson('"\\u" must be followed by four hexadecimal digits.');
          code = code * 16 + h;
        }
        at += 5;
        if (code >= 0xd800 && code <= 0xdbff) {
          if (highSurrogate !== -1) throw invalidJson('Unicode high surrogate must not follow a high surrogate.');
          highSurrogate = code;
        } else if (code >= 0xdc00 && code <= 0xdfff) {
          if (highSurrogate === -1) throw invalidJson('Unicode low surrogate must follow a high surrogate.');
          out += String.fromCharCode(highSurrogate, code);
          highSurrogate = -1;
        } else {
          if (highSurrogate !== -1) throw invalidJson('Unicode low surrogate must follow a high surrogate.');
          if (code === 0) {
            throw new DbError('22P05', 'unsupported Unicode escape sequence', {
              detail: '\\u0000 cannot be converted to text.',
            });
          }
          out += String.fromCharCode(code);
        }
      } else {
        if (highSurrogate !== -1) throw invalidJson('Unicode low surrogate must follow a high surrogate.');
        const simple = simpleEscapes[escape];
        if (simple === undefined) {
          const width = escape.charCodeAt(0) >= 0xd800 && escape.charCodeAt(0) <= 0xdbff ? 2 : 1;
          throw invalidJson(`Escape sequence "\\${text.slice(at, at + width)}" is invalid.`);
        }
        out += simple;
        at++;
      }
      chunkStart = at;
    }
    if (highSurrogate !== -1) throw invalidJson('Unicode low surrogate must follow a high surrogate.');
    this.stringValue = out + text.slice(chunkStart, at);
    this.token = Token.String;
    this.tokenEnd = this.at = at + 1;
  }
}

const simpleEscapes: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
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
  return new JsonParser(text).parseDocument();
}
