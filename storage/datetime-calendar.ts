/**
 * Calendar arithmetic as PostgreSQL does it: proleptic Gregorian dates numbered by Julian day
 * (date2j/j2date), the valid ranges of date and timestamp, and splitting microsecond counts into
 * days and time of day without losing exactness beyond 2^53.
 */
export const UNIX_EPOCH_JDATE = 2440588;
export const POSTGRES_EPOCH_JDATE = 2451545;
/** Days from 1970-01-01 to 2000-01-01, PostgreSQL's epoch for binary dates and timestamps. */
export const POSTGRES_EPOCH_DAYS = POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE;
export const USECS_PER_DAY = 86_400_000_000;
export const USECS_PER_SEC = 1_000_000;
export const SECS_PER_DAY = 86_400;

/** date's infinities in Eventide's int32 days-since-1970 form (PostgreSQL's INT_MIN/INT_MAX). */
export const DATE_NEGATIVE_INFINITY = -2147483648;
export const DATE_POSITIVE_INFINITY = 2147483647;

const JULIAN_MINYEAR = -4713;
const JULIAN_MINMONTH = 11;
const JULIAN_MAXYEAR = 5874898;
const JULIAN_MAXMONTH = 6;
/** First Julian day past the date range (5874898-01-01). */
const DATE_END_JULIAN = 2147483494;
/** Timestamp range in microseconds since 2000-01-01: [4714-11-24 BC, 294277-01-01). */
export const MIN_TIMESTAMP_PG = -211813488000000000n;
export const END_TIMESTAMP_PG = 9223371331200000000n;
/** The same range in microseconds since 1970 (as float64 values; exact, both are multiples of 2^11). */
export const MIN_TIMESTAMP = Number(MIN_TIMESTAMP_PG) + POSTGRES_EPOCH_DAYS * USECS_PER_DAY;
export const END_TIMESTAMP = Number(END_TIMESTAMP_PG) + POSTGRES_EPOCH_DAYS * USECS_PER_DAY;

export function date2j(year: number, month: number, day: number): number {
  if (month > 2) {
    month += 1;
    year += 4800;
  } else {
    month += 13;
    year += 4799;
  }
  const century = Math.trunc(year / 100);
  let julian = year * 365 - 32167;
  julian += Math.trunc(year / 4) - century + Math.trunc(century / 4);
  julian += Math.trunc((7834 * month) / 256) + day;
  return julian;
}

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

export function j2date(jd: number, out: CalendarDate): CalendarDate {
  let julian = jd + 32044;
  let quad = Math.floor(julian / 146097);
  const extra = (julian - quad * 146097) * 4 + 3;
  julian += 60 + quad * 3 + Math.floor(extra / 146097);
  quad = Math.floor(julian / 1461);
  julian -= quad * 1461;
  let y = Math.floor((julian * 4) / 1461);
  julian = (y !== 0 ? (julian + 305) % 365 : (julian + 306) % 366) + 123;
  y += quad * 4;
  out.year = y - 4800;
  quad = Math.floor((julian * 2141) / 65536);
  out.day = julian - Math.floor((7834 * quad) / 256);
  out.month = ((quad + 10) % 12) + 1;
  return out;
}

/** Day of week, 0 = Sunday, of a Julian day. */
export function j2day(jd: number): number {
  return (((jd + 1) % 7) + 7) % 7;
}

export function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

const daysInMonthTable = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeap(year) ? 29 : (daysInMonthTable[month - 1] as number);
}

/** IS_VALID_JULIAN: whether y/m/d is inside the range the Julian-day routines handle. */
export function isValidJulian(year: number, month: number): boolean {
  return (
    (year > JULIAN_MINYEAR || (year === JULIAN_MINYEAR && month >= JULIAN_MINMONTH)) &&
    (year < JULIAN_MAXYEAR || (year === JULIAN_MAXYEAR && month < JULIAN_MAXMONTH))
  );
}

/** IS_VALID_DATE on a Julian day. */
export function isValidDateJulian(jd: number): boolean {
  return jd >= 0 && jd < DATE_END_JULIAN;
}

/** Splits microseconds since 1970 into whole days and microseconds of the day (exact). */
export function splitMicros(micros: number): { days: number; timeOfDay: number } {
  if (Math.abs(micros) < 2 ** 53) {
    let timeOfDay = micros % USECS_PER_DAY;
    if (timeOfDay < 0) timeOfDay += USECS_PER_DAY;
    return { days: (micros - timeOfDay) / USECS_PER_DAY, timeOfDay };
  }
  const big = BigInt(micros);
  const perDay = BigInt(USECS_PER_DAY);
  let timeOfDay = big % perDay;
  if (timeOfDay < 0n) timeOfDay += perDay;
  return { days: Number((big - timeOfDay) / perDay), timeOfDay: Number(timeOfDay) };
}

/** The day and time of day of `micros` moved by `offsetSeconds`, exact at any magnitude. */
export function splitShifted(micros: number, offsetSeconds: number): { days: number; timeOfDay: number } {
  const split = splitMicros(micros);
  let timeOfDay = split.timeOfDay + offsetSeconds * USECS_PER_SEC;
  let days = split.days;
  while (timeOfDay < 0) {
    timeOfDay += USECS_PER_DAY;
    days--;
  }
  while (timeOfDay >= USECS_PER_DAY) {
    timeOfDay -= USECS_PER_DAY;
    days++;
  }
  return { days, timeOfDay };
}

/** days × 86400e6 + timeOfDay as the nearest double (exact whenever representable). */
export function joinMicros(days: number, timeOfDay: number): number {
  const product = days * USECS_PER_DAY;
  if (Math.abs(product) < 2 ** 53) return product + timeOfDay;
  return Number(BigInt(days) * BigInt(USECS_PER_DAY) + BigInt(timeOfDay));
}
