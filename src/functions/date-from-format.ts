/**
 * to_timestamp(text, format) and to_date(text, format): the inverse of to_char for the template
 * patterns real data uses (YYYY, YY, MM, DD, DDD, HH24, HH12/HH, MI, SS, MS, US, Mon/Month,
 * Dy/Day, AM/PM, quoted literals). As in PostgreSQL outside FX mode, a separator in the template
 * matches any one separator in the input or none, blanks before a field are skipped, and missing
 * fields default to the first of the unit (a missing year is year 0, i.e. 1 BC).
 */
import { DbError } from '../../storage/errors.js';
import { Types } from '../../storage/types.js';
import { date2j, daysInMonth, UNIX_EPOCH_JDATE, USECS_PER_DAY } from '../../storage/datetime-calendar.js';
import { resolveTimeZone, timestampToTimestamptz } from '../../storage/datetime.js';
import type { FunctionContext, ScalarFunctionDef } from '../../planner/functions.js';
import type { Vector } from '../../storage/vector.js';
import { fixedResult, strictValidity, stringsOf } from './function-vectors.js';

interface Fields {
  year: number | null;
  month: number | null;
  day: number | null;
  dayOfYear: number | null;
  hour: number;
  minute: number;
  second: number;
  micros: number;
  hour12: boolean;
  pm: boolean | null;
}

const monthNames = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const dayNames = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** Template patterns, longest first so HH24 wins over HH and MONTH over MON. */
const patterns = ['YYYY', 'HH24', 'HH12', 'MONTH', 'DDD', 'YYY', 'MON', 'DAY', 'A.M.', 'P.M.', 'YY', 'HH', 'MI', 'SS', 'MS', 'US', 'MM', 'DD', 'DY', 'AM', 'PM', 'Y'];
const digitsOf: Record<string, number> = { YYYY: 4, YYY: 3, YY: 2, Y: 1, HH24: 2, HH12: 2, HH: 2, MI: 2, SS: 2, MS: 3, US: 6, MM: 2, DD: 2, DDD: 3 };

function isSeparator(c: string): boolean {
  return !/[A-Za-z0-9]/.test(c);
}

function invalidValue(text: string, pattern: string): DbError {
  return new DbError('22007', `invalid value "${text}" for "${pattern}"`, { detail: 'Value must be an integer.' });
}

function parseFields(input: string, format: string): Fields {
  const f: Fields = { year: null, month: null, day: null, dayOfYear: null, hour: 0, minute: 0, second: 0, micros: 0, hour12: false, pm: null };
  let pos = 0;
  let i = 0;
  while (i < format.length) {
    if (format.startsWith('FM', i) || format.startsWith('fm', i)) {
      i += 2;
      continue;
    }
    if (format[i] === '"') {
      const end = format.indexOf('"', i + 1);
      const literal = end < 0 ? format.slice(i + 1) : format.slice(i + 1, end);
      pos += literal.length;
      i = end < 0 ? format.length : end + 1;
      continue;
    }
    const upper = format.slice(i, i + 5).toUpperCase();
    const pattern = patterns.find((p) => upper.startsWith(p));
    if (pattern === undefined) {
      // A separator (or any other template character) matches one input separator, if there is one.
      if (pos < input.length && isSeparator(input[pos] as string)) pos++;
      i++;
      continue;
    }
    i += pattern.length;
    if (format.startsWith('TH', i) || format.startsWith('th', i)) i += 2;
    while (pos < input.length && input[pos] === ' ') pos++;
    // Followed by another field (YYYYMMDD), a number takes exactly its width; else all its digits.
    const next = format[i];
    const bounded = next !== undefined && /[A-Za-z]/.test(next) && !format.startsWith('FM', i);
    pos = readField(input, pos, pattern, f, bounded);
  }
  return f;
}

function readField(input: string, pos: number, pattern: string, f: Fields, bounded: boolean): number {
  const digits = digitsOf[pattern];
  if (digits !== undefined) {
    let end = pos;
    if (input[end] === '-' && pattern.startsWith('Y')) end++;
    const max = bounded ? digits : Infinity;
    while (end < input.length && end - pos < max && /[0-9]/.test(input[end] as string)) end++;
    const text = input.slice(pos, end);
    if (!/^-?[0-9]+$/.test(text)) throw invalidValue(input.slice(pos, pos + Math.max(digits, 1)).trimEnd(), pattern);
    assign(pattern, Number(text), text.replace('-', '').length, f);
    return end;
  }
  const rest = input.slice(pos).toLowerCase();
  if (pattern === 'MONTH' || pattern === 'MON') {
    const index = monthNames.findIndex((name) => (pattern === 'MONTH' ? rest.startsWith(name) : rest.startsWith(name.slice(0, 3))));
    if (index < 0) throw new DbError('22007', `invalid value "${input.slice(pos, pos + 3)}" for "${pattern === 'MONTH' ? 'Month' : 'Mon'}"`, { detail: 'The given value did not match any of the allowed values for this field.' });
    f.month = index + 1;
    return pos + (pattern === 'MONTH' ? (monthNames[index] as string).length : 3);
  }
  if (pattern === 'DAY' || pattern === 'DY') {
    const name = dayNames.find((d) => (pattern === 'DAY' ? rest.startsWith(d) : rest.startsWith(d.slice(0, 3))));
    if (name === undefined) throw new DbError('22007', `invalid value "${input.slice(pos, pos + 3)}" for "${pattern === 'DAY' ? 'Day' : 'Dy'}"`, { detail: 'The given value did not match any of the allowed values for this field.' });
    return pos + (pattern === 'DAY' ? name.length : 3);
  }
  // AM/PM and A.M./P.M.: whichever the template says, the input decides which half of the day.
  const dotted = pattern.includes('.');
  const am = dotted ? 'a.m.' : 'am';
  const pm = dotted ? 'p.m.' : 'pm';
  if (rest.startsWith(am)) f.pm = false;
  else if (rest.startsWith(pm)) f.pm = true;
  else throw new DbError('22007', `invalid value "${input.slice(pos, pos + am.length)}" for "${pattern}"`, { detail: 'The given value did not match any of the allowed values for this field.' });
  return pos + am.length;
}

function assign(pattern: string, value: number, width: number, f: Fields): void {
  switch (pattern) {
    case 'YYYY':
      f.year = value;
      break;
    case 'YYY':
    case 'YY':
    case 'Y':
      // Fewer than four digits: the year nearest 2020, as PostgreSQL's adjust_partial_year_to_2020.
      f.year = width >= 4 ? value : width === 3 ? (value < 520 ? 2000 + value : 1000 + value) : width === 2 ? (value < 70 ? 2000 + value : 1900 + value) : 2000 + value;
      break;
    case 'MM':
      f.month = value;
      break;
    case 'DD':
      f.day = value;
      break;
    case 'DDD':
      f.dayOfYear = value;
      break;
    case 'HH24':
      f.hour = value;
      break;
    case 'HH12':
    case 'HH':
      f.hour = value;
      f.hour12 = true;
      break;
    case 'MI':
      f.minute = value;
      break;
    case 'SS':
      f.second = value;
      break;
    case 'MS':
      f.micros = value * 10 ** (3 - width) * 1000;
      break;
    case 'US':
      f.micros = value * 10 ** (6 - width);
      break;
  }
}

/** Days since 1970 and microseconds into the day, or 22008 naming the input. */
function resolve(input: string, f: Fields): { days: number; timeOfDay: number } {
  const outOfRange = () => new DbError('22008', `date/time field value out of range: "${input}"`);
  let hour = f.hour;
  if (f.hour12 || f.pm !== null) {
    if (hour < 1 || hour > 12) throw new DbError('22008', `hour "${hour}" is invalid for the 12-hour clock`, { hint: 'Use the 24-hour clock, or give an hour between 1 and 12.' });
    if (f.pm === true && hour < 12) hour += 12;
    else if (f.pm !== true && hour === 12) hour = 0;
  }
  if (hour > 24 || f.minute > 59 || f.second > 60) throw outOfRange();
  const year = f.year ?? 0;
  let julian: number;
  if (f.dayOfYear !== null && f.month === null && f.day === null) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    if (f.dayOfYear < 1 || f.dayOfYear > (leap ? 366 : 365)) throw outOfRange();
    julian = date2j(year, 1, 1) + f.dayOfYear - 1;
  } else {
    const month = f.month ?? 1;
    const day = f.day ?? 1;
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) throw outOfRange();
    julian = date2j(year, month, day);
  }
  const timeOfDay = ((hour * 60 + f.minute) * 60 + f.second) * 1_000_000 + f.micros;
  return { days: julian - UNIX_EPOCH_JDATE, timeOfDay };
}

const T = Types.text;

/** to_timestamp(text, format), the second signature of to_timestamp (date-functions.ts). */
export function toTimestampFromText(args: readonly Vector[], n: number, context: FunctionContext): Vector {
  const inputs = stringsOf(args[0]);
  const formats = stringsOf(args[1]);
  const validity = strictValidity(args, n);
  const zone = resolveTimeZone(context.settings.timeZone);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (validity !== null && validity[i] === 0) continue;
    const input = inputs[i] as string;
    const { days, timeOfDay } = resolve(input, parseFields(input, formats[i] as string));
    out[i] = timestampToTimestamptz(days * USECS_PER_DAY + timeOfDay, zone);
  }
  return fixedResult(Types.timestamptz, out, validity);
}

export const toDateFunction: ScalarFunctionDef = {
  name: 'to_date',
  signatures: [{ argTypes: [T, T], returnType: Types.date }],
  strict: true,
  evaluate: (_s, args, n) => {
    const inputs = stringsOf(args[0]);
    const formats = stringsOf(args[1]);
    const validity = strictValidity(args, n);
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      if (validity !== null && validity[i] === 0) continue;
      const input = inputs[i] as string;
      out[i] = resolve(input, parseFields(input, formats[i] as string)).days;
    }
    return fixedResult(Types.date, out, validity);
  },
};
