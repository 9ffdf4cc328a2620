/**
 * A value from JSON.parse as PostgreSQL's normalized jsonb text (what jsonb_in then jsonb_out
 * give): keys in jsonb order (shorter first, then bytewise), the last of duplicate keys kept,
 * `", "` and `": "` separators, strings escaped as escape_json does. Built straight from the
 * parsed value, so an event's properties are not printed and parsed a second time.
 */
import { DbError } from '../../storage/errors.js';
import { compareJsonbKeys, quoteJsonString } from '../../storage/jsonb.js';
import { parseNumeric } from '../../storage/numeric.js';

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** jsonb order for ASCII keys (byte length is string length); the general order otherwise. */
function compareKeys(a: string, b: string): number {
  if (isAscii(a) && isAscii(b)) return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  return compareJsonbKeys(a, b);
}

/** jsonb keeps no NUL in text: PostgreSQL rejects `\u0000` with 22P05. */
function quoteString(text: string): string {
  if (text.indexOf('\u0000') >= 0) {
    throw new DbError('22P05', 'unsupported Unicode escape sequence', { detail: '\\u0000 cannot be converted to text.' });
  }
  return quoteJsonString(text);
}

/** A JSON number as numeric prints it: JS's exponent forms (1e+21, 1.5e-7) become plain digits. */
export function jsonNumberText(value: number): string {
  const text = String(value);
  return text.indexOf('e') < 0 ? text : parseNumeric(text);
}

/** Normalized jsonb text of a JSON value (a result of JSON.parse). */
export function jsonbText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return quoteString(value);
    case 'number':
      return jsonNumberText(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        if (value.length === 0) return '[]';
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ', ') + jsonbText(value[i]);
        return out + ']';
      }
      return objectText(value as Record<string, unknown>, null);
    default:
      return 'null';
  }
}

/**
 * An object's jsonb text, with `extra` keys (unknown top-level fields of an event) added where
 * the object does not have them itself.
 */
export function objectText(object: Record<string, unknown>, extra: Record<string, unknown> | null): string {
  const keys = Object.keys(object);
  if (extra !== null) for (const key of Object.keys(extra)) if (!Object.hasOwn(object, key)) keys.push(key);
  if (keys.length === 0) return '{}';
  keys.sort(compareKeys);
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const value = Object.hasOwn(object, key) ? object[key] : (extra as Record<string, unknown>)[key];
    out += (i === 0 ? '' : ', ') + quoteString(key) + ': ' + jsonbText(value);
  }
  return out + '}';
}
