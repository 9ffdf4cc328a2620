/**
 * The second stage of PostgreSQL's date/time input, DecodeDateTime (its per-field decoders are in
 * datetime-field-decoders.ts), ported closely so that the same strings are accepted, rejected and
 * read the same way: ISO 8601 with or without 'T', DateStyle-ordered numeric dates, text months,
 * run-together digits, AM/PM, BC, Julian days, numeric offsets, zone abbreviations and zone
 * names, and the special words.
 *
 * Errors carry PostgreSQL's SQLSTATEs: 22007 bad format, 22008 field out of range, 22009 zone
 * displacement out of range, 22023 unknown zone name.
 */
import { DbError } from './errors.js';
import { date2j, j2date, splitMicros, UNIX_EPOCH_JDATE, USECS_PER_SEC } from './datetime-calendar.js';
import { defaultAbbreviations } from './datetime-abbreviations.js';
import {
  decodeDate,
  decodeLabelledNumber,
  decodeNumber,
  decodeNumberField,
  decodeTime,
  decodeTimezone,
  timeOverflows,
  validateDate,
} from './datetime-field-decoders.js';
import {
  BAD_FORMAT,
  DATE_M,
  DecodeFailure,
  dateTimeError,
  fail,
  FIELD_OVERFLOW,
  M,
  newTm,
  TIME_M,
  TIME_ONLY,
  type DecodeContext,
  type Decoded,
  type DecodedKind,
  type State,
  type Tm,
} from './datetime-fields.js';
import {
  ADBC,
  AM,
  AMPM,
  BC,
  DAY,
  DOW,
  DTK_EARLY,
  DTK_EPOCH,
  DTK_JULIAN,
  DTK_LATE,
  DTK_NOW,
  DTK_TIME,
  DTK_TODAY,
  DTK_TOMORROW,
  DTK_YESTERDAY,
  DTK_ZULU,
  DTZ,
  DTZMOD,
  DYNTZ,
  FieldType,
  IGNORE_DTF,
  isDigitCode,
  ISOTIME,
  lookupKeyword,
  MONTH,
  PM,
  RESERV,
  tokenize,
  TZ,
  UNITS,
  UNKNOWN_FIELD,
} from './datetime-tokens.js';
import { findTimeZone, type TimeZone } from './datetime-zone.js';

export { dateTimeError, type DateOrder, type DecodeContext, type Decoded, type DecodedKind, type Tm } from './datetime-fields.js';
export { decodeTimezone } from './datetime-field-decoders.js';

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
