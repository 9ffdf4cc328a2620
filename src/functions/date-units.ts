/**
 * The units of date_trunc, date_part and EXTRACT as PostgreSQL's DecodeUnits/DecodeSpecial read
 * them (datetime.c's deltatktbl and datetktbl): lower-cased, cut to 10 characters, many aliases.
 * Also the calendar fields of a wall-clock time that those functions work on.
 */
import { date2j, j2date, j2day, splitMicros, UNIX_EPOCH_JDATE } from '../../storage/datetime-calendar.js';

export type DateUnit =
  | 'microseconds'
  | 'milliseconds'
  | 'second'
  | 'minute'
  | 'hour'
  | 'day'
  | 'week'
  | 'month'
  | 'quarter'
  | 'year'
  | 'decade'
  | 'century'
  | 'millennium'
  | 'timezone'
  | 'timezone_hour'
  | 'timezone_minute'
  | 'dow'
  | 'isodow'
  | 'doy'
  | 'isoyear'
  | 'julian'
  | 'epoch';

const aliases: Record<string, DateUnit> = {};
const add = (unit: DateUnit, ...names: string[]) => {
  for (const name of names) aliases[name] = unit;
};
add('century', 'c', 'cent', 'centuries', 'century');
add('day', 'd', 'day', 'days');
add('decade', 'dec', 'decade', 'decades', 'decs');
add('hour', 'h', 'hour', 'hours', 'hr', 'hrs');
add('minute', 'm', 'min', 'mins', 'minute', 'minutes');
add('microseconds', 'microsecon', 'us', 'usec', 'microsecond', 'useconds', 'usecs');
add('millennium', 'mil', 'millennia', 'millennium', 'mils');
add('milliseconds', 'millisecon', 'ms', 'msec', 'millisecond', 'mseconds', 'msecs');
add('month', 'mon', 'mons', 'month', 'months');
add('quarter', 'qtr', 'quarter');
add('second', 's', 'sec', 'second', 'seconds', 'secs');
add('timezone', 'timezone');
add('timezone_hour', 'timezone_h');
add('timezone_minute', 'timezone_m');
add('week', 'w', 'week', 'weeks');
add('year', 'y', 'year', 'years', 'yr', 'yrs');
add('dow', 'dow');
add('isodow', 'isodow');
add('doy', 'doy');
add('isoyear', 'isoyear');
add('julian', 'j', 'julian');
add('epoch', 'epoch');

/** The unit named by `text`, or null when PostgreSQL would not recognize it. */
export function parseUnit(text: string): DateUnit | null {
  const lower = text.replace(/[A-Z]+/g, (m) => m.toLowerCase()).slice(0, 10);
  return Object.hasOwn(aliases, lower) ? (aliases[lower] as DateUnit) : null;
}

/** PostgreSQL's lower-cased spelling of a unit argument, as its error messages quote it. */
export function lowerUnits(text: string): string {
  return text.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** Calendar fields of a wall-clock time (pg_tm plus fractional microseconds). */
export interface LocalFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  micro: number;
  /** Julian day number. */
  julian: number;
}

export function localFields(localMicros: number): LocalFields {
  const { days, timeOfDay } = splitMicros(localMicros);
  const julian = days + UNIX_EPOCH_JDATE;
  const date = j2date(julian, { year: 0, month: 0, day: 0 });
  const seconds = Math.floor(timeOfDay / 1_000_000);
  return {
    year: date.year,
    month: date.month,
    day: date.day,
    hour: Math.floor(seconds / 3600),
    minute: Math.floor(seconds / 60) % 60,
    second: seconds % 60,
    micro: timeOfDay % 1_000_000,
    julian,
  };
}

/** date2isoweek: the ISO 8601 week number. */
export function isoWeek(year: number, month: number, day: number): number {
  const dayn = date2j(year, month, day);
  let day4 = date2j(year, 1, 4);
  let day0 = j2day(day4 - 1);
  if (dayn < day4 - day0) {
    day4 = date2j(year - 1, 1, 4);
    day0 = j2day(day4 - 1);
  }
  let result = Math.floor((dayn - (day4 - day0)) / 7) + 1;
  if (result >= 52) {
    day4 = date2j(year + 1, 1, 4);
    day0 = j2day(day4 - 1);
    if (dayn >= day4 - day0) result = Math.floor((dayn - (day4 - day0)) / 7) + 1;
  }
  return result;
}

/** date2isoyear: the ISO 8601 week-numbering year (astronomical: 0 is 1 BC). */
export function isoYear(year: number, month: number, day: number): number {
  const dayn = date2j(year, month, day);
  let day4 = date2j(year, 1, 4);
  let day0 = j2day(day4 - 1);
  if (dayn < day4 - day0) {
    day4 = date2j(year - 1, 1, 4);
    day0 = j2day(day4 - 1);
    year--;
  }
  const result = Math.floor((dayn - (day4 - day0)) / 7) + 1;
  if (result >= 52) {
    day4 = date2j(year + 1, 1, 4);
    day0 = j2day(day4 - 1);
    if (dayn >= day4 - day0) year++;
  }
  return year;
}
