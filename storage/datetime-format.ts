/**
 * date/timestamp/timestamptz output as PostgreSQL's EncodeDateOnly/EncodeDateTime print them, in
 * each DateStyle (ISO, SQL, Postgres, German) and field order. ISO is what clients ask for;
 * the other styles print the zone abbreviation the zone reports.
 */
import { j2date, j2day, splitMicros, splitShifted, UNIX_EPOCH_JDATE, USECS_PER_SEC, type CalendarDate } from './datetime-calendar.js';
import type { DateOrder } from './datetime-decode.js';
import type { TimeZone } from './datetime-zone.js';

export type OutputStyle = 'ISO' | 'SQL' | 'Postgres' | 'German';

export interface DateStyle {
  readonly style: OutputStyle;
  readonly order: DateOrder;
}

const styles = new Map<string, DateStyle>();

/** Parses a DateStyle setting such as 'ISO, MDY' or 'German' (which implies DMY). */
export function parseDateStyle(setting: string): DateStyle {
  let cached = styles.get(setting);
  if (cached !== undefined) return cached;
  let style: OutputStyle = 'ISO';
  let order: DateOrder | null = null;
  for (const raw of setting.split(/[\s,]+/)) {
    const token = raw.toLowerCase();
    if (token === '') continue;
    if (token === 'iso') style = 'ISO';
    else if (token === 'sql') style = 'SQL';
    else if (token === 'postgres') style = 'Postgres';
    else if (token === 'german') {
      style = 'German';
      order ??= 'DMY';
    } else if (token === 'ymd') order = 'YMD';
    else if (token === 'dmy' || token === 'euro' || token === 'european') order = 'DMY';
    else if (token === 'mdy' || token === 'us' || token === 'noneuro' || token === 'noneuropean') order = 'MDY';
  }
  cached = { style, order: order ?? 'MDY' };
  styles.set(setting, cached);
  return cached;
}

const monthNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const dayNames = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
/** '00'..'99', so hot loops build text without number-to-string calls. */
const twoDigits: readonly string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? '0' : '') + String(i));

function pad2(n: number): string {
  return twoDigits[n] ?? String(n);
}

function pad4(n: number): string {
  return n >= 1000 ? String(n) : String(n).padStart(4, '0');
}

/** The year as printed: positive, with " BC" appended by the caller for years <= 0. */
function displayYear(year: number): string {
  return pad4(year > 0 ? year : -(year - 1));
}

const scratchDate: CalendarDate = { year: 0, month: 0, day: 0 };

/** date_out for a finite Julian day. */
export function encodeDate(julianDay: number, dateStyle: DateStyle): string {
  const { year, month, day } = j2date(julianDay, scratchDate);
  let text: string;
  switch (dateStyle.style) {
    case 'ISO':
      text = displayYear(year) + '-' + pad2(month) + '-' + pad2(day);
      break;
    case 'SQL':
      text = (dateStyle.order === 'DMY' ? pad2(day) + '/' + pad2(month) : pad2(month) + '/' + pad2(day)) + '/' + displayYear(year);
      break;
    case 'German':
      text = pad2(day) + '.' + pad2(month) + '.' + displayYear(year);
      break;
    case 'Postgres':
      text = (dateStyle.order === 'DMY' ? pad2(day) + '-' + pad2(month) : pad2(month) + '-' + pad2(day)) + '-' + displayYear(year);
      break;
  }
  return year <= 0 ? text + ' BC' : text;
}

/** hh:mm:ss with up to six fractional digits, trailing zeros trimmed (AppendSeconds). */
function encodeTime(timeOfDay: number): string {
  const wholeSeconds = Math.floor(timeOfDay / USECS_PER_SEC);
  const fraction = timeOfDay - wholeSeconds * USECS_PER_SEC;
  const hour = Math.floor(wholeSeconds / 3600);
  const minute = Math.floor(wholeSeconds / 60) % 60;
  const text = (twoDigits[hour] as string) + ':' + (twoDigits[minute] as string) + ':' + (twoDigits[wholeSeconds % 60] as string);
  if (fraction === 0) return text;
  const high = Math.floor(fraction / 10000);
  const middle = Math.floor(fraction / 100) % 100;
  const low = fraction % 100;
  if (low !== 0) {
    const digits = (twoDigits[high] as string) + (twoDigits[middle] as string) + (twoDigits[low] as string);
    return text + '.' + (low % 10 === 0 ? digits.slice(0, 5) : digits);
  }
  if (middle !== 0) {
    const digits = (twoDigits[high] as string) + (twoDigits[middle] as string);
    return text + '.' + (middle % 10 === 0 ? digits.slice(0, 3) : digits);
  }
  const digits = twoDigits[high] as string;
  return text + '.' + (high % 10 === 0 ? digits.slice(0, 1) : digits);
}

/** EncodeTimezone: +hh, +hh:mm or +hh:mm:ss from an offset in seconds east. */
export function encodeOffset(offsetEast: number): string {
  const magnitude = Math.abs(offsetEast);
  const hours = Math.floor(magnitude / 3600);
  const minutes = Math.floor((magnitude % 3600) / 60);
  const secs = magnitude % 60;
  const sign = offsetEast >= 0 ? '+' : '-';
  if (secs !== 0) return sign + pad2(hours) + ':' + pad2(minutes) + ':' + pad2(secs);
  if (minutes !== 0) return sign + pad2(hours) + ':' + pad2(minutes);
  return sign + pad2(hours);
}

/** The date part of the last day printed in ISO style: rows of a vector mostly share days. */
let cachedIsoDay = NaN;
let cachedIsoText = '';
let cachedIsoBc = false;

/**
 * EncodeDateTime of microseconds since 1970: a timestamp (`zone` null), or a timestamptz shown
 * in `zone` (at its offset for that instant, with its abbreviation in non-ISO styles).
 */
export function encodeDateTime(micros: number, dateStyle: DateStyle, zone: TimeZone | null): string {
  let utcSeconds = 0;
  let offsetEast = 0;
  if (zone !== null) {
    utcSeconds = Math.floor(micros / USECS_PER_SEC);
    offsetEast = zone.offsetAt(utcSeconds);
  }
  const { days, timeOfDay } = offsetEast === 0 ? splitMicros(micros) : splitShifted(micros, offsetEast);
  if (dateStyle.style === 'ISO') {
    if (days !== cachedIsoDay) {
      const { year, month, day } = j2date(days + UNIX_EPOCH_JDATE, scratchDate);
      cachedIsoText = displayYear(year) + '-' + pad2(month) + '-' + pad2(day) + ' ';
      cachedIsoBc = year <= 0;
      cachedIsoDay = days;
    }
    let text = cachedIsoText + encodeTime(timeOfDay);
    if (zone !== null) text += encodeOffset(offsetEast);
    return cachedIsoBc ? text + ' BC' : text;
  }
  const julianDay = days + UNIX_EPOCH_JDATE;
  const { year, month, day } = j2date(julianDay, scratchDate);
  const time = encodeTime(timeOfDay);
  const abbreviation = zone === null ? '' : ' ' + zone.abbreviationAt(utcSeconds);
  let text: string;
  switch (dateStyle.style) {
    case 'SQL':
      text = (dateStyle.order === 'DMY' ? pad2(day) + '/' + pad2(month) : pad2(month) + '/' + pad2(day)) + '/' + displayYear(year);
      text += ' ' + time + abbreviation;
      break;
    case 'German':
      text = pad2(day) + '.' + pad2(month) + '.' + displayYear(year) + ' ' + time + abbreviation;
      break;
    case 'Postgres': {
      const weekday = dayNames[j2day(julianDay)] as string;
      const monthName = monthNames[month - 1] as string;
      text = weekday + ' ' + (dateStyle.order === 'DMY' ? pad2(day) + ' ' + monthName : monthName + ' ' + pad2(day));
      text += ' ' + time + ' ' + displayYear(year) + abbreviation;
      break;
    }
  }
  return year <= 0 ? text + ' BC' : text;
}

/** timestamptz_out of microseconds since 1970 UTC in `zone`. */
export function encodeTimestamptz(micros: number, zone: TimeZone, dateStyle: DateStyle): string {
  return encodeDateTime(micros, dateStyle, zone);
}
