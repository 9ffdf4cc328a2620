/**
 * The second stage of PostgreSQL's date/time input (DecodeDateTime and its helpers), ported
 * closely so that the same strings are accepted, rejected and read the same way: ISO 8601 with
 * or without 'T', DateStyle-ordered numeric dates, text months, run-together digits, AM/PM, BC,
 * Julian days, numeric offsets, zone abbreviations and zone names, and the special words.
 *
 * Errors carry PostgreSQL's SQLSTATEs: 22007 bad format, 22008 field out of range, 22009 zone
 * displacement out of range, 22023 unknown zone name.
 */
import { DbError } from './errors.js';
import { date2j, daysInMonth, j2date, splitMicros, UNIX_EPOCH_JDATE, USECS_PER_SEC } from './datetime-calendar.js';
import { defaultAbbreviations } from './datetime-abbreviations.js';
import {
  ADBC,
  AMPM,
  AM,
  BC,
  DAY,
  DOW,
  DOY,
  DTK_DAY,
  DTK_EARLY,
  DTK_EPOCH,
  DTK_HOUR,
  DTK_JULIAN,
  DTK_LATE,
  DTK_MINUTE,
  DTK_MONTH,
  DTK_NOW,
  DTK_SECOND,
  DTK_TIME,
  DTK_TODAY,
  DTK_TOMORROW,
  DTK_YEAR,
  DTK_YESTERDAY,
  DTK_ZULU,
  DTZ,
  DTZMOD,
  DYNTZ,
  FieldType,
  HOUR,
  IGNORE_DTF,
  isDigitCode,
  ISOTIME,
  lookupKeyword,
  MICROSECOND,
  MILLISECOND,
  MINUTE,
  MONTH,
  PM,
  RESERV,
  SECOND,
  tokenize,
  TZ,
  UNITS,
  UNKNOWN_FIELD,
  YEAR,
} from './datetime-tokens.js';
import { findTimeZone, type TimeZone } from './datetime-zone.js';

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

const BAD_FORMAT = -1;
const FIELD_OVERFLOW = -2;
const MD_FIELD_OVERFLOW = -3;
const TZDISP_OVERFLOW = -5;
/** DecodeDateTime returns 1 for a time without a date, which callers report as bad format. */
const TIME_ONLY = 1;

const M = (type: number) => 1 << type;
const DATE_M = M(YEAR) | M(MONTH) | M(DAY);
const TIME_M = M(HOUR) | M(MINUTE) | M(SECOND) | M(MILLISECOND) | M(MICROSECOND);
const ALL_SECS_M = M(SECOND) | M(MILLISECOND) | M(MICROSECOND);

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

class DecodeFailure {
  constructor(readonly code: number) {}
}

function fail(code: number): never {
  throw new DecodeFailure(code);
}

/** strtoint over the start of `text`: value and the index after the digits (sign and spaces allowed). */
function strtoint(text: string, from: number): [number, number] {
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
function parseFractionalSecond(text: string, from: number): number {
  const rest = text.slice(from);
  if (!/^\.\d*$/.test(rest)) fail(BAD_FORMAT);
  if (rest.length === 1) return 0;
  return roundHalfEven(Number(rest) * 1_000_000);
}

/** C's rint in the default rounding mode. */
function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const difference = value - floor;
  if (difference > 0.5) return floor + 1;
  if (difference < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

function atoi(text: string): number {
  const match = /^\s*[+-]?\d+/.exec(text);
  return match === null ? 0 : Number(match[0]);
}

interface State {
  fmask: number;
  tmask: number;
  is2digits: boolean;
}

/** DecodeNumberField: run-together digits (YYYYMMDD, hhmmss, hhmm, with a fraction). */
function decodeNumberField(text: string, fmask: number, state: State, tm: Tm): 'date' | 'time' {
  let digits = text;
  const dot = text.indexOf('.');
  if (dot >= 0) {
    if (dot === text.length - 1) tm.fsec = 0;
    else {
      const fraction = Number(text.slice(dot));
      if (Number.isNaN(fraction)) fail(BAD_FORMAT);
      tm.fsec = roundHalfEven(fraction * 1_000_000);
    }
    digits = text.slice(0, dot);
  } else if ((fmask & DATE_M) !== DATE_M) {
    if (digits.length >= 6) {
      state.tmask = DATE_M;
      const length = digits.length;
      tm.day = atoi(digits.slice(length - 2));
      tm.month = atoi(digits.slice(length - 4, length - 2));
      tm.year = atoi(digits.slice(0, length - 4));
      if (length - 4 === 2) state.is2digits = true;
      return 'date';
    }
  }
  if ((fmask & TIME_M) !== TIME_M) {
    if (digits.length === 6) {
      state.tmask = TIME_M;
      tm.second = atoi(digits.slice(4));
      tm.minute = atoi(digits.slice(2, 4));
      tm.hour = atoi(digits.slice(0, 2));
      return 'time';
    }
    if (digits.length === 4) {
      state.tmask = TIME_M;
      tm.second = 0;
      tm.minute = atoi(digits.slice(2));
      tm.hour = atoi(digits.slice(0, 2));
      return 'time';
    }
  }
  return fail(BAD_FORMAT);
}

/** DecodeNumber: one numeric field, placed by what is already known and the DateStyle order. */
function decodeNumber(
  text: string,
  haveTextMonth: boolean,
  fmask: number,
  state: State,
  tm: Tm,
  order: DateOrder,
): void {
  state.tmask = 0;
  const [value, end] = strtoint(text, 0);
  if (end === 0) fail(BAD_FORMAT);
  const flen = text.length;
  if (end < text.length) {
    if (text[end] !== '.') fail(BAD_FORMAT);
    if (end > 2) {
      decodeNumberField(text, fmask | DATE_M, state, tm);
      return;
    }
    tm.fsec = parseFractionalSecond(text, end);
  }
  if (flen === 3 && (fmask & DATE_M) === M(YEAR) && value >= 1 && value <= 366) {
    state.tmask = M(DOY) | M(MONTH) | M(DAY);
    tm.yday = value;
    return;
  }
  switch (fmask & DATE_M) {
    case 0:
      if (flen >= 3 || order === 'YMD') {
        state.tmask = M(YEAR);
        tm.year = value;
      } else if (order === 'DMY') {
        state.tmask = M(DAY);
        tm.day = value;
      } else {
        state.tmask = M(MONTH);
        tm.month = value;
      }
      break;
    case M(YEAR):
      state.tmask = M(MONTH);
      tm.month = value;
      break;
    case M(MONTH):
      if (haveTextMonth) {
        if (flen >= 3 || order === 'YMD') {
          state.tmask = M(YEAR);
          tm.year = value;
        } else {
          state.tmask = M(DAY);
          tm.day = value;
        }
      } else {
        state.tmask = M(DAY);
        tm.day = value;
      }
      break;
    case M(YEAR) | M(MONTH):
      if (haveTextMonth && flen >= 3 && state.is2digits) {
        state.tmask = M(DAY);
        tm.day = tm.year;
        tm.year = value;
        state.is2digits = false;
      } else {
        state.tmask = M(DAY);
        tm.day = value;
      }
      break;
    case M(DAY):
      state.tmask = M(MONTH);
      tm.month = value;
      break;
    case M(MONTH) | M(DAY):
      state.tmask = M(YEAR);
      tm.year = value;
      break;
    case M(YEAR) | M(MONTH) | M(DAY):
      decodeNumberField(text, fmask, state, tm);
      return;
    default:
      fail(BAD_FORMAT);
  }
  if (state.tmask === M(YEAR)) state.is2digits = flen <= 2;
}

/** DecodeDate: a date field such as 2024-01-31, 01/31/2024, 31-jan-2024, 2024.01.31. */
function decodeDate(text: string, fmask: number, state: State, tm: Tm, order: DateOrder): void {
  const fields: (string | null)[] = [];
  let at = 0;
  while (at < text.length) {
    while (at < text.length && !/[0-9a-z]/i.test(text[at] as string)) at++;
    if (at >= text.length) fail(BAD_FORMAT);
    const start = at;
    if (isDigitCode(text.charCodeAt(at))) while (at < text.length && isDigitCode(text.charCodeAt(at))) at++;
    else while (at < text.length && /[a-z]/i.test(text[at] as string)) at++;
    fields.push(text.slice(start, at));
    if (at < text.length) at++; // one separator character is consumed with the field
  }
  let tmask = 0;
  let haveTextMonth = false;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] as string;
    if (!/^[a-z]/i.test(field)) continue;
    const keyword = lookupKeyword(field.toLowerCase());
    if (keyword !== undefined && keyword[0] === IGNORE_DTF) continue;
    if (keyword === undefined || keyword[0] !== MONTH) fail(BAD_FORMAT);
    const dmask = M(MONTH);
    tm.month = keyword[1];
    haveTextMonth = true;
    if (fmask & dmask) fail(BAD_FORMAT);
    fmask |= dmask;
    tmask |= dmask;
    fields[i] = null;
  }
  for (const field of fields) {
    if (field === null) continue;
    if (field.length === 0) fail(BAD_FORMAT);
    decodeNumber(field, haveTextMonth, fmask, state, tm, order);
    if (fmask & state.tmask) fail(BAD_FORMAT);
    fmask |= state.tmask;
    tmask |= state.tmask;
  }
  if ((fmask & ~(M(DOY) | M(TZ))) !== DATE_M) fail(BAD_FORMAT);
  state.tmask = tmask;
}

/** DecodeTime: hh:mm, hh:mm:ss, hh:mm:ss.fff, mm:ss.fff. */
function decodeTime(text: string, tm: Tm): void {
  let [hour, at] = strtoint(text, 0);
  if (text[at] !== ':') fail(BAD_FORMAT);
  let minute: number;
  [minute, at] = strtoint(text, at + 1);
  let second = 0;
  let fsec = 0;
  if (at >= text.length) {
    // hh:mm
  } else if (text[at] === '.') {
    fsec = parseFractionalSecond(text, at);
    second = minute;
    minute = hour;
    hour = 0;
  } else if (text[at] === ':') {
    [second, at] = strtoint(text, at + 1);
    if (text[at] === '.') fsec = parseFractionalSecond(text, at);
    else if (at < text.length) fail(BAD_FORMAT);
  } else {
    fail(BAD_FORMAT);
  }
  if (hour < 0 || minute < 0 || minute > 59 || second < 0 || second > 60 || fsec < 0 || fsec > USECS_PER_SEC) {
    fail(FIELD_OVERFLOW);
  }
  tm.hour = hour;
  tm.minute = minute;
  tm.second = second;
  tm.fsec = fsec;
}

function timeOverflows(tm: Tm): boolean {
  if (tm.hour < 0 || tm.hour > 24 || tm.minute < 0 || tm.minute >= 60 || tm.second < 0 || tm.second > 60) return true;
  if (tm.fsec < 0 || tm.fsec > USECS_PER_SEC) return true;
  return ((tm.hour * 60 + tm.minute) * 60 + tm.second) * USECS_PER_SEC + tm.fsec > 86_400 * USECS_PER_SEC;
}

/** DecodeTimezone: +hh, +hhmm, +hh:mm, +hh:mm:ss -> seconds west. */
export function decodeTimezone(text: string): number {
  const sign = text[0];
  if (sign !== '+' && sign !== '-') fail(BAD_FORMAT);
  let hour: number;
  let minute = 0;
  let second = 0;
  let at: number;
  try {
    [hour, at] = strtoint(text, 1);
    if (text[at] === ':') {
      [minute, at] = strtoint(text, at + 1);
      if (text[at] === ':') [second, at] = strtoint(text, at + 1);
    } else if (at >= text.length && text.length > 3) {
      minute = hour % 100;
      hour = Math.trunc(hour / 100);
    }
  } catch {
    return fail(TZDISP_OVERFLOW);
  }
  if (hour < 0 || hour > 15 || minute < 0 || minute >= 60 || second < 0 || second >= 60) fail(TZDISP_OVERFLOW);
  let tz = (hour * 60 + minute) * 60 + second;
  if (sign === '-') tz = -tz;
  if (at < text.length) fail(BAD_FORMAT);
  return -tz;
}

function newTm(): Tm {
  return { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, fsec: 0, yday: 0 };
}

/** Local wall-clock seconds since 1970 (read as UTC) of a tm. */
function localSeconds(tm: Tm): number {
  return (date2j(tm.year, tm.month, tm.day) - UNIX_EPOCH_JDATE) * 86_400 + (tm.hour * 60 + tm.minute) * 60 + tm.second;
}

/** The session-local date and time of now, and the session offset (seconds west). */
function currentLocal(context: DecodeContext): { tm: Tm; tz: number } {
  const now = context.nowMicros();
  const offset = context.zone.offsetAt(Math.floor(now / USECS_PER_SEC));
  const { days, timeOfDay } = splitMicros(now + offset * USECS_PER_SEC);
  const tm = newTm();
  j2date(days + UNIX_EPOCH_JDATE, tm);
  const seconds = Math.floor(timeOfDay / USECS_PER_SEC);
  tm.hour = Math.floor(seconds / 3600);
  tm.minute = Math.floor((seconds % 3600) / 60);
  tm.second = seconds % 60;
  tm.fsec = timeOfDay % USECS_PER_SEC;
  return { tm, tz: -offset };
}

/** DecodeDateTime over the text of a date, timestamp or timestamptz input. */
export function decodeDateTime(text: string, typeName: string, context: DecodeContext): Decoded {
  try {
    return decodeFields(text, context);
  } catch (error) {
    if (error instanceof DecodeFailure) throw dateTimeError(error.code, text, typeName);
    throw error;
  }
}

function decodeFields(text: string, context: DecodeContext): Decoded {
  const fields = tokenize(text);
  if (fields === null) fail(BAD_FORMAT);
  const { values, types } = fields;
  const tm = newTm();
  const state: State = { fmask: 0, tmask: 0, is2digits: false };
  let kind: DecodedKind = 'date';
  let tz = 0;
  let fmask = 0;
  let ptype = 0;
  let meridian = -1;
  let haveTextMonth = false;
  let isJulian = false;
  let bc = false;
  let namedZone: TimeZone | null = null;
  const order = context.dateOrder;

  for (let i = 0; i < values.length; i++) {
    const field = values[i] as string;
    let tmask = 0;
    switch (types[i]) {
      case FieldType.Date:
        if (ptype !== 0 || (fmask & (M(MONTH) | M(DAY))) === (M(MONTH) | M(DAY))) {
          if (isDigitCode(field.charCodeAt(0)) || ptype !== 0) {
            // A run-together time with a trailing zone: hhmmss-zz.
            if (ptype !== 0) {
              if (ptype !== DTK_TIME) fail(BAD_FORMAT);
              ptype = 0;
            }
            if ((fmask & TIME_M) === TIME_M) fail(BAD_FORMAT);
            const dash = field.indexOf('-');
            if (dash < 0) fail(BAD_FORMAT);
            tz = decodeTimezone(field.slice(dash));
            decodeNumberField(field.slice(0, dash), fmask, state, tm);
            tmask = state.tmask | M(TZ);
          } else {
            namedZone = findTimeZone(field);
            if (namedZone === null) throw new DbError('22023', `time zone "${field}" not recognized`);
            tmask = M(TZ);
          }
        } else {
          decodeDate(field, fmask, state, tm, order);
          tmask = state.tmask;
        }
        break;

      case FieldType.Time:
        if (ptype !== 0) {
          if (ptype !== DTK_TIME) fail(BAD_FORMAT);
          ptype = 0;
        }
        decodeTime(field, tm);
        tmask = TIME_M;
        if (timeOverflows(tm)) fail(FIELD_OVERFLOW);
        break;

      case FieldType.Tz:
        tz = decodeTimezone(field);
        tmask = M(TZ);
        break;

      case FieldType.Number:
        if (ptype !== 0) {
          tmask = decodeLabelledNumber(field, ptype, fmask, state, tm);
          if (ptype === DTK_JULIAN) isJulian = true;
          ptype = 0;
          kind = 'date';
        } else {
          const dot = field.indexOf('.');
          const flen = field.length;
          if (dot >= 0 && !(fmask & DATE_M)) {
            decodeDate(field, fmask, state, tm, order);
            tmask = state.tmask;
          } else if (dot >= 0 && dot > 2) {
            decodeNumberField(field, fmask, state, tm);
            tmask = state.tmask;
          } else if (flen >= 6 && (!(fmask & DATE_M) || !(fmask & TIME_M))) {
            decodeNumberField(field, fmask, state, tm);
            tmask = state.tmask;
          } else {
            decodeNumber(field, haveTextMonth, fmask, state, tm, order);
            tmask = state.tmask;
          }
        }
        break;

      case FieldType.String:
      case FieldType.Special: {
        let type: number;
        let value = 0;
        let dynamicZone: TimeZone | null = null;
        const abbreviation = Object.hasOwn(defaultAbbreviations, field) ? defaultAbbreviations[field] : undefined;
        if (abbreviation !== undefined) {
          if (typeof abbreviation === 'string') {
            type = DYNTZ;
            dynamicZone = findTimeZone(abbreviation);
          } else {
            type = abbreviation[1] ? DTZ : TZ;
            value = abbreviation[0];
          }
        } else {
          const keyword = lookupKeyword(field);
          if (keyword === undefined) type = UNKNOWN_FIELD;
          else [type, value] = keyword;
        }
        if (type === IGNORE_DTF) continue;
        tmask = M(type);
        switch (type) {
          case RESERV:
            switch (value) {
              case DTK_NOW: {
                tmask = DATE_M | TIME_M | M(TZ);
                kind = 'date';
                const current = currentLocal(context);
                Object.assign(tm, current.tm);
                tz = current.tz;
                break;
              }
              case DTK_YESTERDAY:
              case DTK_TODAY:
              case DTK_TOMORROW: {
                tmask = DATE_M;
                kind = 'date';
                const current = currentLocal(context).tm;
                const shift = value === DTK_YESTERDAY ? -1 : value === DTK_TOMORROW ? 1 : 0;
                j2date(date2j(current.year, current.month, current.day) + shift, tm);
                break;
              }
              case DTK_ZULU:
                tmask = TIME_M | M(TZ);
                kind = 'date';
                tm.hour = 0;
                tm.minute = 0;
                tm.second = 0;
                tz = 0;
                break;
              case DTK_EPOCH:
              case DTK_LATE:
              case DTK_EARLY:
                tmask = DATE_M | TIME_M | M(TZ);
                kind = value === DTK_EPOCH ? 'epoch' : value === DTK_LATE ? 'late' : 'early';
                break;
              default:
                fail(BAD_FORMAT);
            }
            break;
          case MONTH:
            if (fmask & M(MONTH) && !haveTextMonth && !(fmask & M(DAY)) && tm.month >= 1 && tm.month <= 31) {
              tm.day = tm.month;
              tmask = M(DAY);
            }
            haveTextMonth = true;
            tm.month = value;
            break;
          case DTZMOD:
            tmask |= M(DTZ);
            tz -= value;
            break;
          case DTZ:
            tmask |= M(TZ);
            tz = -value;
            break;
          case TZ:
            tz = -value;
            break;
          case DYNTZ:
            tmask |= M(TZ);
            if (dynamicZone === null) fail(BAD_FORMAT);
            namedZone = dynamicZone;
            break;
          case AMPM:
            meridian = value;
            break;
          case ADBC:
            bc = value === BC;
            break;
          case DOW:
            break;
          case UNITS:
            tmask = 0;
            ptype = value;
            break;
          case ISOTIME: {
            tmask = 0;
            if ((fmask & DATE_M) !== DATE_M) fail(BAD_FORMAT);
            const next = types[i + 1];
            if (i >= values.length - 1 || (next !== FieldType.Number && next !== FieldType.Time && next !== FieldType.Date)) {
              fail(BAD_FORMAT);
            }
            ptype = value;
            break;
          }
          case UNKNOWN_FIELD:
            namedZone = /^[a-z]+$/.test(field) ? findTimeZone(field) : null;
            if (namedZone === null) fail(BAD_FORMAT);
            tmask = M(TZ);
            break;
          default:
            fail(BAD_FORMAT);
        }
        break;
      }
      default:
        fail(BAD_FORMAT);
    }
    if (tmask & fmask) fail(BAD_FORMAT);
    fmask |= tmask;
  }

  // The special words leave the fields unset; PostgreSQL's callers ignore them.
  if (kind !== 'date') return { kind, tm, tz };
  validateDate(fmask, isJulian, state.is2digits, bc, tm);

  if (meridian !== -1 && tm.hour > 12) fail(FIELD_OVERFLOW);
  if (meridian === AM && tm.hour === 12) tm.hour = 0;
  else if (meridian === PM && tm.hour !== 12) tm.hour += 12;

  if ((fmask & DATE_M) !== DATE_M) {
    if ((fmask & TIME_M) === TIME_M) fail(TIME_ONLY);
    fail(BAD_FORMAT);
  }
  if (namedZone !== null) {
    if (fmask & M(DTZMOD)) fail(BAD_FORMAT);
    tz = -namedZone.offsetForLocal(localSeconds(tm));
  }
  if (!(fmask & M(TZ))) {
    if (fmask & M(DTZMOD)) fail(BAD_FORMAT);
    tz = -context.zone.offsetForLocal(localSeconds(tm));
  }
  return { kind, tm, tz };
}

/** A number following a unit label ("J2451545", "T134500", "y2024"). */
function decodeLabelledNumber(field: string, ptype: number, fmask: number, state: State, tm: Tm): number {
  const [value, end] = strtoint(field, 0);
  if (end < field.length) {
    if (field[end] !== '.' || (ptype !== DTK_JULIAN && ptype !== DTK_TIME && ptype !== DTK_SECOND)) fail(BAD_FORMAT);
  }
  switch (ptype) {
    case DTK_YEAR:
      tm.year = value;
      return M(YEAR);
    case DTK_MONTH:
      tm.month = value;
      return M(MONTH);
    case DTK_DAY:
      tm.day = value;
      return M(DAY);
    case DTK_HOUR:
      tm.hour = value;
      return M(HOUR);
    case DTK_MINUTE:
      tm.minute = value;
      return M(MINUTE);
    case DTK_SECOND:
      tm.second = value;
      if (field[end] === '.') {
        tm.fsec = parseFractionalSecond(field, end);
        return ALL_SECS_M;
      }
      return M(SECOND);
    case DTK_JULIAN: {
      if (value < 0) fail(FIELD_OVERFLOW);
      j2date(value, tm);
      let tmask = DATE_M;
      if (field[end] === '.') {
        const fraction = Number('0' + field.slice(end));
        if (Number.isNaN(fraction)) fail(BAD_FORMAT);
        const micros = Math.trunc(fraction * 86_400 * USECS_PER_SEC);
        const seconds = Math.floor(micros / USECS_PER_SEC);
        tm.hour = Math.floor(seconds / 3600);
        tm.minute = Math.floor((seconds % 3600) / 60);
        tm.second = seconds % 60;
        tm.fsec = micros - seconds * USECS_PER_SEC;
        tmask |= TIME_M;
      }
      return tmask;
    }
    case DTK_TIME: {
      const kind = decodeNumberField(field, fmask | DATE_M, state, tm);
      if (kind !== 'time' || state.tmask !== TIME_M) fail(BAD_FORMAT);
      return state.tmask;
    }
    default:
      return fail(BAD_FORMAT);
  }
}

/** ValidateDate: year conventions (BC, two digits), day of year, month and day ranges. */
function validateDate(fmask: number, isJulian: boolean, is2digits: boolean, bc: boolean, tm: Tm): void {
  if (fmask & M(YEAR)) {
    if (isJulian) {
      // the year came from a Julian day and is already astronomical
    } else if (bc) {
      if (tm.year <= 0) fail(FIELD_OVERFLOW);
      tm.year = -(tm.year - 1);
    } else if (is2digits) {
      if (tm.year < 0) fail(FIELD_OVERFLOW);
      if (tm.year < 70) tm.year += 2000;
      else if (tm.year < 100) tm.year += 1900;
    } else if (tm.year <= 0) {
      fail(FIELD_OVERFLOW);
    }
  }
  if (fmask & M(DOY)) j2date(date2j(tm.year, 1, 1) + tm.yday - 1, tm);
  if (fmask & M(MONTH) && (tm.month < 1 || tm.month > 12)) fail(MD_FIELD_OVERFLOW);
  if (fmask & M(DAY) && (tm.day < 1 || tm.day > 31)) fail(MD_FIELD_OVERFLOW);
  if ((fmask & DATE_M) === DATE_M && tm.day > daysInMonth(tm.year, tm.month)) fail(FIELD_OVERFLOW);
}
