/**
 * The JSON lexer PostgreSQL's json and jsonb input use (json_lex): tokens, strings de-escaped
 * with its rules (surrogate pairs, no \u0000 for text), numbers by the JSON grammar with
 * trailing letters folded into the token, and its error details.
 */
import { DbError } from './errors.js';

export const invalidJson = (detail: string) => new DbError('22P02', 'invalid input syntax for type json', { detail });

export const enum Token {
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

export class JsonLexer {
  private at = 0;
  token: Token = Token.End;
  tokenStart = 0;
  tokenEnd = 0;
  /** The de-escaped value of the current string token. */
  stringValue = '';

  constructor(private readonly text: string) {}

  tokenText(): string {
    return this.text.slice(this.tokenStart, this.tokenEnd);
  }

  /** json_lex: advances to the next token. */
  next(): void {
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
