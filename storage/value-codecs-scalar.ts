/**
 * Input functions of the simple types as PostgreSQL 15 has them: boolin, int2in/int4in/int8in
 * (surrounding whitespace and a sign allowed; overflow found while reading digits is 22003 even
 * with trailing junk; no underscores or hex, which came in PostgreSQL 16), and text input checks.
 */
import { DbError, invalidTextRepresentation } from './errors.js';

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

function trimSpace(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  return text.slice(start, end);
}

/** Whether `value` is a non-empty case-insensitive prefix of `word`, at least `minimum` long. */
function prefixOf(value: string, word: string, minimum = 1): boolean {
  return value.length >= minimum && value.length <= word.length && word.startsWith(value.toLowerCase());
}

/** boolin: t/true/yes/on/1 and f/false/no/off/0, prefixes allowed ('o' alone is ambiguous). */
export function parseBool(text: string): boolean {
  const value = trimSpace(text);
  switch (value.charCodeAt(0) | 0x20) {
    case 116: // t
      if (prefixOf(value, 'true')) return true;
      break;
    case 102: // f
      if (prefixOf(value, 'false')) return false;
      break;
    case 121: // y
      if (prefixOf(value, 'yes')) return true;
      break;
    case 110: // n
      if (prefixOf(value, 'no')) return false;
      break;
    case 111: // o
      if (prefixOf(value, 'on', 2)) return true;
      if (prefixOf(value, 'off', 2)) return false;
      break;
    case 49: // '1' (the case bit is already set in digits)
      if (value === '1') return true;
      break;
    case 48: // '0'
      if (value === '0') return false;
      break;
  }
  throw invalidTextRepresentation('boolean', text);
}

const int8Limit = 9223372036854775808n;

/**
 * pg_strtoint16/32/64 for a type: returns the value as a bigint (callers narrow it), with
 * PostgreSQL's errors.
 */
function parseInteger(text: string, typeName: string, limit: bigint): bigint {
  const length = text.length;
  let at = 0;
  while (at < length && isSpace(text.charCodeAt(at))) at++;
  let negative = false;
  const sign = text.charCodeAt(at);
  if (sign === 45) {
    negative = true;
    at++;
  } else if (sign === 43) {
    at++;
  }
  const digitsStart = at;
  while (at < length && text.charCodeAt(at) >= 48 && text.charCodeAt(at) <= 57) at++;
  if (at === digitsStart) throw invalidTextRepresentation(typeName, text);
  const digits = text.slice(digitsStart, at);
  // Overflow is detected while digits are read, before any trailing junk is looked at.
  const significant = digits.replace(/^0+/, '');
  const magnitude = significant.length > 20 ? limit + 1n : BigInt(significant || '0');
  if (negative ? magnitude > limit : magnitude >= limit) {
    throw new DbError('22003', `value "${text}" is out of range for type ${typeName}`);
  }
  while (at < length && isSpace(text.charCodeAt(at))) at++;
  if (at < length) throw invalidTextRepresentation(typeName, text);
  return negative ? -magnitude : magnitude;
}

export function parseInt2(text: string): number {
  return Number(parseInteger(text, 'smallint', 32768n));
}

export function parseInt4(text: string): number {
  // A fast path for the common plain form; anything else takes the general route.
  if (text.length > 0 && text.length <= 9 && /^-?\d+$/.test(text)) return Number(text) | 0;
  return Number(parseInteger(text, 'integer', 2147483648n));
}

export function parseInt8(text: string): bigint {
  return parseInteger(text, 'bigint', int8Limit);
}

/** Text from a client: PostgreSQL's UTF-8 verification rejects NUL (22021). */
export function checkText(text: string): string {
  if (text.indexOf('\u0000') >= 0) {
    throw new DbError('22021', 'invalid byte sequence for encoding "UTF8": 0x00');
  }
  return text;
}

/** Number of characters (code points), as varchar(n) counts them. */
export function characterLength(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0xd800 || code > 0xdbff) count++;
  }
  return count;
}

/** The first `n` characters (code points). */
function firstCharacters(text: string, n: number): string {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0xd800 || code > 0xdbff) {
      if (count === n) return text.slice(0, i);
      count++;
    }
  }
  return text;
}

/**
 * varchar(n): input and assignment fail with 22001 when the excess is not all spaces (which are
 * cut); an explicit cast truncates silently.
 */
export function applyVarcharTypmod(text: string, typmod: number, explicit: boolean): string {
  if (typmod < 4) return text;
  const maxLength = typmod - 4;
  if (text.length <= maxLength || characterLength(text) <= maxLength) return text;
  const kept = firstCharacters(text, maxLength);
  if (!explicit && !/^ *$/.test(text.slice(kept.length))) {
    throw new DbError('22001', `value too long for type character varying(${maxLength})`);
  }
  return kept;
}
