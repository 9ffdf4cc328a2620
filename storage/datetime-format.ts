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

function pad2(n: number): string {
  return n < 10 ? '0' + String(n) : String(n);
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

/** Seconds with up to six fractional digits, trailing zeros trimmed (AppendSeconds). */
function seconds(second: number, fraction: number): string {
  if (fraction === 0) return pad2(second);
  let digits = String(fraction).padStart(6, '0');
  let end = 6;
  while (digits.charCodeAt(end - 1) === 48) end--;
  digits = digits.slice(0, end);
  return pad2(second) + '.' + digits;
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

/**
 * EncodeDateTime of microseconds since 1970: a timestamp (`zone` null), or a timestamptz shown
 * at the zone's offset.
 */
export function encodeDateTime(
  micros: number,
  dateStyle: DateStyle,
  zone: { offsetEast: number; abbreviation: () => string } | null,
): string {
  const { days, timeOfDay } = zone === null ? splitMicros(micros) : splitShifted(micros, zone.offsetEast);
  const julianDay = days + UNIX_EPOCH_JDATE;
  const { year, month, day } = j2date(julianDay, scratchDate);
  const wholeSeconds = Math.floor(timeOfDay / USECS_PER_SEC);
  const fraction = timeOfDay - wholeSeconds * USECS_PER_SEC;
  const hour = Math.floor(wholeSeconds / 3600);
  const minute = Math.floor((wholeSeconds % 3600) / 60);
  const time = pad2(hour) + ':' + pad2(minute) + ':' + seconds(wholeSeconds % 60, fraction);
  let text: string;
  switch (dateStyle.style) {
    case 'ISO':
      text = displayYear(year) + '-' + pad2(month) + '-' + pad2(day) + ' ' + time;
      if (zone !== null) text += encodeOffset(zone.offsetEast);
      break;
    case 'SQL':
      text = (dateStyle.order === 'DMY' ? pad2(day) + '/' + pad2(month) : pad2(month) + '/' + pad2(day)) + '/' + displayYear(year);
      text += ' ' + time;
      if (zone !== null) text += ' ' + zone.abbreviation();
      break;
    case 'German':
      text = pad2(day) + '.' + pad2(month) + '.' + displayYear(year) + ' ' + time;
      if (zone !== null) text += ' ' + zone.abbreviation();
      break;
    case 'Postgres': {
      const weekday = dayNames[j2day(julianDay)] as string;
      const monthName = monthNames[month - 1] as string;
      text = weekday + ' ' + (dateStyle.order === 'DMY' ? pad2(day) + ' ' + monthName : monthName + ' ' + pad2(day));
      text += ' ' + time + ' ' + displayYear(year);
      if (zone !== null) text += ' ' + zone.abbreviation();
      break;
    }
  }
  return year <= 0 ? text + ' BC' : text;
}

/** timestamptz_out of microseconds since 1970 UTC in `zone`. */
export function encodeTimestamptz(micros: number, zone: TimeZone, dateStyle: DateStyle): string {
  const utcSeconds = Math.floor(micros / USECS_PER_SEC);
  const offsetEast = zone.offsetAt(utcSeconds);
  return encodeDateTime(micros, dateStyle, {
    offsetEast,
    abbreviation: () => zone.abbreviationAt(utcSeconds),
  });
}
