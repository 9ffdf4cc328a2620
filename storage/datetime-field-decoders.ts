/**
 * PostgreSQL's decoders for single date/time fields, ported closely: DecodeNumber,
 * DecodeNumberField (run-together digits), DecodeDate, DecodeTime, DecodeTimezone, the numbers
 * after unit labels (J2451545, T134500) and ValidateDate. They fill a Tm and report through
 * `fail` with DecodeDateTime's error codes.
 */
import { date2j, daysInMonth, j2date, USECS_PER_SEC } from './datetime-calendar.js';
import {
  ALL_SECS_M,
  atoi,
  BAD_FORMAT,
  DATE_M,
  fail,
  FIELD_OVERFLOW,
  M,
  MD_FIELD_OVERFLOW,
  parseFractionalSecond,
  roundHalfEven,
  strtoint,
  TIME_M,
  TZDISP_OVERFLOW,
  type DateOrder,
  type State,
  type Tm,
} from './datetime-fields.js';
import {
  DAY,
  DOY,
  DTK_DAY,
  DTK_HOUR,
  DTK_JULIAN,
  DTK_MINUTE,
  DTK_MONTH,
  DTK_SECOND,
  DTK_TIME,
  DTK_YEAR,
  HOUR,
  IGNORE_DTF,
  isDigitCode,
  lookupKeyword,
  MINUTE,
  MONTH,
  SECOND,
  TZ,
  YEAR,
} from './datetime-tokens.js';

/** DecodeNumberField: run-together digits (YYYYMMDD, hhmmss, hhmm, with a fraction). */
export function decodeNumberField(text: string, fmask: number, state: State, tm: Tm): 'date' | 'time' {
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
export function decodeNumber(
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
export function decodeDate(text: string, fmask: number, state: State, tm: Tm, order: DateOrder): void {
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
export function decodeTime(text: string, tm: Tm): void {
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

export function timeOverflows(tm: Tm): boolean {
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

/** A number following a unit label ("J2451545", "T134500", "y2024"). */
export function decodeLabelledNumber(field: string, ptype: number, fmask: number, state: State, tm: Tm): number {
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
export function validateDate(fmask: number, isJulian: boolean, is2digits: boolean, bc: boolean, tm: Tm): void {
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
