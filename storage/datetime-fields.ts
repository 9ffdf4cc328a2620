/**
 * Shared pieces of PostgreSQL's date/time input: the decoded fields (pg_tm), the field masks,
 * the error codes DecodeDateTime returns and how they are reported, and the small C library
 * readers (strtoint, strtod of a fraction, rint) whose exact behaviour the decoder relies on.
 */
import { DbError } from './errors.js';
import {
  DAY,
  HOUR,
  isDigitCode,
  MICROSECOND,
  MILLISECOND,
  MINUTE,
  MONTH,
  SECOND,
  YEAR,
} from './datetime-tokens.js';
import type { TimeZone } from './datetime-zone.js';

export type DateOrder = 'MDY' | 'DMY' | 'YMD';

export interface DecodeContext {
  /** The session TimeZone, for inputs without an explicit zone. */
  readonly zone: TimeZone;
  readonly dateOrder: DateOrder;
  /** The current time in microseconds since 1970 UTC, for 'now', 'today' and friends. */
  readonly nowMicros: () => number;
}

/** PostgreSQL's struct pg_tm (years astronomical: 1 BC is 0) plus fractional microseconds. */
export interface Tm {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  fsec: number;
  yday: number;
}

export type DecodedKind = 'date' | 'epoch' | 'late' | 'early';

export interface Decoded {
  readonly kind: DecodedKind;
  readonly tm: Tm;
  /** Offset in seconds WEST of UTC (PostgreSQL's sign), resolved when a zone was asked for. */
  readonly tz: number;
}

export const BAD_FORMAT = -1;
export const FIELD_OVERFLOW = -2;
export const MD_FIELD_OVERFLOW = -3;
export const TZDISP_OVERFLOW = -5;
/** DecodeDateTime returns 1 for a time without a date, which callers report as bad format. */
export const TIME_ONLY = 1;

export const M = (type: number) => 1 << type;
export const DATE_M = M(YEAR) | M(MONTH) | M(DAY);
export const TIME_M = M(HOUR) | M(MINUTE) | M(SECOND) | M(MILLISECOND) | M(MICROSECOND);
export const ALL_SECS_M = M(SECOND) | M(MILLISECOND) | M(MICROSECOND);

/** Reports a decoding failure as PostgreSQL's DateTimeParseError does. */
export function dateTimeError(code: number, text: string, typeName: string): DbError {
  switch (code) {
    case FIELD_OVERFLOW:
      return new DbError('22008', `date/time field value out of range: "${text}"`);
    case MD_FIELD_OVERFLOW:
      return new DbError('22008', `date/time field value out of range: "${text}"`, {
        hint: 'Perhaps you need a different "datestyle" setting.',
      });
    case TZDISP_OVERFLOW:
      return new DbError('22009', `time zone displacement out of range: "${text}"`);
    default:
      return new DbError('22007', `invalid input syntax for type ${typeName}: "${text}"`);
  }
}

export class DecodeFailure {
  constructor(readonly code: number) {}
}

export function fail(code: number): never {
  throw new DecodeFailure(code);
}

/** strtoint over the start of `text`: value and the index after the digits (sign and spaces allowed). */
export function strtoint(text: string, from: number): [number, number] {
  let at = from;
  while (at < text.length && (text.charCodeAt(at) === 32 || (text.charCodeAt(at) >= 9 && text.charCodeAt(at) <= 13))) at++;
  let negative = false;
  if (text[at] === '+' || text[at] === '-') {
    negative = text[at] === '-';
    at++;
  }
  const digitsStart = at;
  while (at < text.length && isDigitCode(text.charCodeAt(at))) at++;
  if (at === digitsStart) return [0, from];
  const value = Number(text.slice(digitsStart, at));
  if (value > 2147483647 + (negative ? 1 : 0)) fail(FIELD_OVERFLOW);
  return [negative ? -value : value, at];
}

/** rint(strtod(".ddd") * 1e6): the fraction must be the whole rest of the field. */
export function parseFractionalSecond(text: string, from: number): number {
  const rest = text.slice(from);
  if (!/^\.\d*$/.test(rest)) fail(BAD_FORMAT);
  if (rest.length === 1) return 0;
  return roundHalfEven(Number(rest) * 1_000_000);
}

/** C's rint in the default rounding mode. */
export function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const difference = value - floor;
  if (difference > 0.5) return floor + 1;
  if (difference < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

export function atoi(text: string): number {
  const match = /^\s*[+-]?\d+/.exec(text);
  return match === null ? 0 : Number(match[0]);
}

export function newTm(): Tm {
  return { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, fsec: 0, yday: 0 };
}

/** What the field decoders tell the caller besides the fields themselves. */
export interface State {
  fmask: number;
  tmask: number;
  is2digits: boolean;
}
