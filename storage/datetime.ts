/**
 * date, timestamp and timestamptz values: input and output functions and the conversions between
 * them, as PostgreSQL 15 does them.
 *
 * JS forms (storage/types.ts): date = int32 days since 1970-01-01 with the int32 extremes as
 * -infinity/infinity; timestamp(tz) = microseconds since 1970-01-01 00:00 UTC as a float64 with
 * ±Infinity as ±infinity. Inputs are decoded by datetime-decode.ts (PostgreSQL's parser), outputs
 * encoded by datetime-format.ts.
 */
import { DbError } from './errors.js';
import {
  date2j,
  daysInMonth,
  DATE_NEGATIVE_INFINITY,
  DATE_POSITIVE_INFINITY,
  END_TIMESTAMP,
  isValidDateJulian,
  isValidJulian,
  j2date,
  joinMicros,
  MIN_TIMESTAMP,
  POSTGRES_EPOCH_DAYS,
  splitMicros,
  splitShifted,
  UNIX_EPOCH_JDATE,
  USECS_PER_DAY,
  USECS_PER_SEC,
  type CalendarDate,
} from './datetime-calendar.js';
import { decodeDateTime, type DecodeContext, type Tm } from './datetime-decode.js';
import { encodeDate, encodeDateTime, encodeTimestamptz, type DateStyle } from './datetime-format.js';
import type { TimeZone } from './datetime-zone.js';

export { DATE_NEGATIVE_INFINITY, DATE_POSITIVE_INFINITY, POSTGRES_EPOCH_DAYS } from './datetime-calendar.js';
export { parseDateStyle, type DateStyle } from './datetime-format.js';
export { findTimeZone, resolveTimeZone, utcZone, type TimeZone } from './datetime-zone.js';
export type { DateOrder, DecodeContext } from './datetime-decode.js';

/** First day past the timestamp range, in days since 1970 (294277-01-01). */
const TIMESTAMP_END_DAYS = 109203528 - UNIX_EPOCH_JDATE;

const dateOutOfRangeForTimestamp = () => new DbError('22008', 'date out of range for timestamp');
const timestampOutOfRange = () => new DbError('22008', 'timestamp out of range');

const MIN_TIMESTAMP_EXACT = BigInt(MIN_TIMESTAMP);
const END_TIMESTAMP_EXACT = BigInt(END_TIMESTAMP);

/** The timestamp range check on a float64 value (exact near the ends, which are representable). */
function isValidTimestamp(micros: number): boolean {
  return micros >= MIN_TIMESTAMP && micros < END_TIMESTAMP;
}

/**
 * Microseconds since 1970 of a decoded date and time minus an offset (seconds east), or null when
 * outside the timestamp range. The range check is exact even where the float64 result is not.
 */
function tmToMicros(tm: Tm, offsetEast: number): number | null {
  if (!isValidJulian(tm.year, tm.month)) return null;
  const days = date2j(tm.year, tm.month, tm.day) - UNIX_EPOCH_JDATE;
  const time = ((tm.hour * 60 + tm.minute) * 60 + tm.second - offsetEast) * USECS_PER_SEC + tm.fsec;
  if (Math.abs(days) < 100_000) return joinMicros(days, time);
  const exact = BigInt(days) * BigInt(USECS_PER_DAY) + BigInt(time);
  if (exact < MIN_TIMESTAMP_EXACT || exact >= END_TIMESTAMP_EXACT) return null;
  return Number(exact);
}

/** What fastIso read last: days since 1970, µs into the day, seconds east (NaN when no zone was given). */
let isoDays = 0;
let isoTime = 0;
let isoOffset = Number.NaN;

/** Two ASCII digits at `at` as a number, or -1. */
function twoDigits(text: string, at: number): number {
  const a = text.charCodeAt(at) - 48;
  const b = text.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * Reads the plain ISO 8601 forms clients send (`YYYY-MM-DD[( |T|t)HH:MM[:SS[.ffffff]]][Z|z|±HH[[:]MM]]`)
 * into isoDays/isoTime/isoOffset, character by character (no RegExp, no allocation: COPY, HTTP and
 * INSERT call it per row). False for anything else or anything unusual (year 0, hour 24, leap
 * seconds, out-of-range fields), which the full decoder then handles and reports.
 */
function fastIso(text: string): boolean {
  const n = text.length;
  if (n < 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return false;
  const century = twoDigits(text, 0);
  const yy = twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  if (century < 0 || yy < 0 || month < 1 || day < 1) return false;
  const year = century * 100 + yy;
  if (year === 0 || month > 12 || day > daysInMonth(year, month)) return false;
  let timeOfDay = 0;
  let offset = Number.NaN;
  let at = 10;
  if (at < n) {
    const sep = text.charCodeAt(at);
    if ((sep !== 32 && sep !== 84 && sep !== 116) || n < 16 || text.charCodeAt(13) !== 58) return false;
    const hour = twoDigits(text, 11);
    const minute = twoDigits(text, 14);
    if (hour < 0 || minute < 0 || hour > 23 || minute > 59) return false;
    timeOfDay = (hour * 60 + minute) * 60 * USECS_PER_SEC;
    at = 16;
    if (at < n && text.charCodeAt(at) === 58) {
      const second = twoDigits(text, 17);
      if (second < 0 || second > 59) return false;
      timeOfDay += second * USECS_PER_SEC;
      at = 19;
    } else if (at < n && text.charCodeAt(at) === 46) return false;
    if (at < n && text.charCodeAt(at) === 46) {
      let fraction = 0;
      let digits = 0;
      at++;
      while (at < n) {
        const d = text.charCodeAt(at) - 48;
        if (d < 0 || d > 9) break;
        if (++digits > 6) return false;
        fraction = fraction * 10 + d;
        at++;
      }
      if (digits === 0) return false;
      for (let k = digits; k < 6; k++) fraction *= 10;
      timeOfDay += fraction;
    }
    if (at < n) {
      const sign = text.charCodeAt(at);
      if ((sign === 90 || sign === 122) && at + 1 === n) offset = 0;
      else if (sign === 43 || sign === 45) {
        const hours = twoDigits(text, at + 1);
        if (hours < 0 || hours > 15) return false;
        at += 3;
        let minutes = 0;
        if (at < n) {
          if (text.charCodeAt(at) === 58) at++;
          minutes = twoDigits(text, at);
          if (minutes < 0 || minutes > 59 || at + 2 !== n) return false;
        }
        offset = (sign === 45 ? -1 : 1) * (hours * 3600 + minutes * 60);
      } else return false;
    }
  }
  isoDays = date2j(year, month, day) - UNIX_EPOCH_JDATE;
  isoTime = timeOfDay;
  isoOffset = offset;
  return true;
}

/** date_in. */
export function parseDate(text: string, context: DecodeContext): number {
  if (fastIso(text)) return isoDays;
  const decoded = decodeDateTime(text, 'date', context);
  const tm = decoded.tm;
  switch (decoded.kind) {
    case 'late':
      return DATE_POSITIVE_INFINITY;
    case 'early':
      return DATE_NEGATIVE_INFINITY;
    case 'epoch':
      return 0;
    case 'date':
      break;
  }
  const outOfRange = () => new DbError('22008', `date out of range: "${text}"`);
  if (!isValidJulian(tm.year, tm.month)) throw outOfRange();
  const julianDay = date2j(tm.year, tm.month, tm.day);
  if (!isValidDateJulian(julianDay)) throw outOfRange();
  return julianDay - UNIX_EPOCH_JDATE;
}

/** timestamp_in: any zone in the text is ignored, as PostgreSQL does. */
export function parseTimestamp(text: string, context: DecodeContext): number {
  if (fastIso(text)) return joinMicros(isoDays, isoTime);
  const decoded = decodeDateTime(text, 'timestamp', context);
  switch (decoded.kind) {
    case 'late':
      return Infinity;
    case 'early':
      return -Infinity;
    case 'epoch':
      return 0;
    case 'date':
      break;
  }
  const micros = tmToMicros(decoded.tm, 0);
  if (micros === null) {
    throw new DbError('22008', `timestamp out of range: "${text}"`);
  }
  return micros;
}

/** timestamptz_in: the text's zone, else the session zone. */
export function parseTimestamptz(text: string, context: DecodeContext): number {
  if (fastIso(text)) {
    const offset = Number.isNaN(isoOffset) ? context.zone.offsetForLocal(isoDays * 86_400 + Math.floor(isoTime / USECS_PER_SEC)) : isoOffset;
    return joinMicros(isoDays, isoTime - offset * USECS_PER_SEC);
  }
  const decoded = decodeDateTime(text, 'timestamp with time zone', context);
  switch (decoded.kind) {
    case 'late':
      return Infinity;
    case 'early':
      return -Infinity;
    case 'epoch':
      return 0;
    case 'date':
      break;
  }
  const micros = tmToMicros(decoded.tm, -decoded.tz);
  if (micros === null) {
    throw new DbError('22008', `timestamp out of range: "${text}"`);
  }
  return micros;
}

/** date_out. */
export function formatDate(days: number, dateStyle: DateStyle): string {
  if (days === DATE_POSITIVE_INFINITY) return 'infinity';
  if (days === DATE_NEGATIVE_INFINITY) return '-infinity';
  return encodeDate(days + UNIX_EPOCH_JDATE, dateStyle);
}

/** timestamp_out. */
export function formatTimestamp(micros: number, dateStyle: DateStyle): string {
  if (micros === Infinity) return 'infinity';
  if (micros === -Infinity) return '-infinity';
  return encodeDateTime(micros, dateStyle, null);
}

/** timestamptz_out in the session zone. */
export function formatTimestamptz(micros: number, zone: TimeZone, dateStyle: DateStyle): string {
  if (micros === Infinity) return 'infinity';
  if (micros === -Infinity) return '-infinity';
  return encodeTimestamptz(micros, zone, dateStyle);
}

/** date -> timestamp: midnight. */
export function dateToTimestamp(days: number): number {
  if (days === DATE_NEGATIVE_INFINITY) return -Infinity;
  if (days === DATE_POSITIVE_INFINITY) return Infinity;
  if (days >= TIMESTAMP_END_DAYS) throw dateOutOfRangeForTimestamp();
  return joinMicros(days, 0);
}

/** date -> timestamptz: local midnight in the session zone. */
export function dateToTimestamptz(days: number, zone: TimeZone): number {
  if (days === DATE_NEGATIVE_INFINITY) return -Infinity;
  if (days === DATE_POSITIVE_INFINITY) return Infinity;
  if (days >= TIMESTAMP_END_DAYS) throw dateOutOfRangeForTimestamp();
  const offset = zone.offsetForLocal(days * 86_400);
  const micros = joinMicros(days, 0) - offset * USECS_PER_SEC;
  if (!isValidTimestamp(micros)) throw dateOutOfRangeForTimestamp();
  return micros;
}

/** timestamp -> date: the calendar day. */
export function timestampToDate(micros: number): number {
  if (micros === -Infinity) return DATE_NEGATIVE_INFINITY;
  if (micros === Infinity) return DATE_POSITIVE_INFINITY;
  return splitMicros(micros).days;
}

/** timestamptz -> timestamp: the wall-clock time in the session zone. */
export function timestamptzToTimestamp(micros: number, zone: TimeZone): number {
  if (!Number.isFinite(micros)) return micros;
  const local = micros + zone.offsetAt(Math.floor(micros / USECS_PER_SEC)) * USECS_PER_SEC;
  if (!isValidTimestamp(local)) throw timestampOutOfRange();
  return local;
}

/** timestamp -> timestamptz: the wall-clock time read in the session zone. */
export function timestampToTimestamptz(micros: number, zone: TimeZone): number {
  if (!Number.isFinite(micros)) return micros;
  const seconds = Math.floor(micros / USECS_PER_SEC);
  const utc = micros - zone.offsetForLocal(seconds) * USECS_PER_SEC;
  if (!isValidTimestamp(utc)) throw timestampOutOfRange();
  return utc;
}

/** timestamptz -> date: the calendar day in the session zone. */
export function timestamptzToDate(micros: number, zone: TimeZone): number {
  if (micros === -Infinity) return DATE_NEGATIVE_INFINITY;
  if (micros === Infinity) return DATE_POSITIVE_INFINITY;
  return splitShifted(micros, zone.offsetAt(Math.floor(micros / USECS_PER_SEC))).days;
}

/**
 * timestamp(p)/timestamptz(p): rounds to p fractional digits, half away from zero on PostgreSQL's
 * own epoch (2000-01-01), as AdjustTimestampForTypmod does.
 */
export function applyTimestampPrecision(micros: number, precision: number): number {
  if (!Number.isFinite(micros) || precision < 0 || precision >= 6) return micros;
  const scale = 10n ** BigInt(6 - precision);
  const offset = scale / 2n;
  const epoch = BigInt(POSTGRES_EPOCH_DAYS * USECS_PER_DAY);
  const shifted = BigInt(micros) - epoch;
  const rounded = shifted >= 0n ? ((shifted + offset) / scale) * scale : -(((-shifted + offset) / scale) * scale);
  return Number(rounded + epoch);
}

/** Calendar fields of a date (for functions such as extract). */
export function dateFields(days: number): CalendarDate {
  return j2date(days + UNIX_EPOCH_JDATE, { year: 0, month: 0, day: 0 });
}
