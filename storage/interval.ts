/**
 * PostgreSQL's interval: months, days and microseconds, kept apart because a month and a day have
 * no fixed length in calendar arithmetic. Its JS form is one string (see types.ts):
 *
 *   <span key: 24 digits> <months> <days> <micros>
 *
 * The key is PostgreSQL's comparison value (interval_cmp_value: months as 30 days, days as 24
 * hours) as 13 digits of biased whole days and 11 digits of microseconds into the day, so code
 * point order of the whole string is interval order, and the key alone is the equality and hash
 * identity ('1 day' = '24 hours' share a key and differ only in their fields). Storage, WAL,
 * zone maps and sorting handle it as a string; kernels decode the fields.
 *
 * Microseconds are a float64 (exact to 2^53 µs, about 285 years), as timestamps are.
 */
import { DbError } from './errors.js';

export const USECS_PER_DAY = 86_400_000_000;
export const USECS_PER_HOUR = 3_600_000_000;
export const USECS_PER_MINUTE = 60_000_000;
export const USECS_PER_SEC = 1_000_000;
export const DAYS_PER_MONTH = 30;
export const MONTHS_PER_YEAR = 12;

export const INTERVAL_KEY_LENGTH = 24;
const DAY_BIAS = 1e12;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

export interface Interval {
  months: number;
  days: number;
  micros: number;
}

export const intervalOutOfRange = () => new DbError('22008', 'interval out of range');

/** The comparison key: whole days (biased) and microseconds into the day, floor-split. */
export function intervalKey(months: number, days: number, micros: number): string {
  let frac = micros % USECS_PER_DAY;
  let spanDays = months * DAYS_PER_MONTH + days + (micros - frac) / USECS_PER_DAY;
  if (frac < 0) {
    frac += USECS_PER_DAY;
    spanDays -= 1;
  }
  return String(spanDays + DAY_BIAS).padStart(13, '0') + String(frac).padStart(11, '0');
}

/** Encodes an interval as its JS value, checking PostgreSQL's field ranges. */
export function encodeInterval(months: number, days: number, micros: number): string {
  if (months < INT32_MIN || months > INT32_MAX || days < INT32_MIN || days > INT32_MAX || !Number.isFinite(micros)) {
    throw intervalOutOfRange();
  }
  // -0 would print as "-00:00:00" in no style; normalize it away.
  const m = months + 0;
  const d = days + 0;
  const u = micros + 0;
  return `${intervalKey(m, d, u)} ${m} ${d} ${u}`;
}

export function decodeInterval(value: string, out: Interval = { months: 0, days: 0, micros: 0 }): Interval {
  const a = value.indexOf(' ', INTERVAL_KEY_LENGTH + 1);
  const b = value.indexOf(' ', a + 1);
  out.months = Number(value.slice(INTERVAL_KEY_LENGTH + 1, a));
  out.days = Number(value.slice(a + 1, b));
  out.micros = Number(value.slice(b + 1));
  return out;
}

/** The equality/hash identity of an interval value (PostgreSQL's interval_hash uses the same). */
export function intervalEqualityKey(value: string): string {
  return value.slice(0, INTERVAL_KEY_LENGTH);
}

/** Three-way comparison by PostgreSQL's span (interval_cmp). */
export function compareIntervals(a: string, b: string): number {
  const x = a.slice(0, INTERVAL_KEY_LENGTH);
  const y = b.slice(0, INTERVAL_KEY_LENGTH);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Total microseconds with months as 30 days (what date_bin and epoch-like uses need). */
export function intervalSpanMicros(i: Interval): number {
  return (i.months * DAYS_PER_MONTH + i.days) * USECS_PER_DAY + i.micros;
}

export function rint(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function addIntervals(a: Interval, b: Interval, sign: 1 | -1): string {
  return encodeInterval(a.months + sign * b.months, a.days + sign * b.days, a.micros + sign * b.micros);
}

export function negateInterval(a: Interval): string {
  return encodeInterval(-a.months, -a.days, -a.micros);
}

const TS_PREC_INV = 1_000_000;
const tsRound = (x: number) => rint(x * TS_PREC_INV) / TS_PREC_INV;

/** interval_mul: fractional months cascade to days, fractional days to seconds. */
export function multiplyInterval(span: Interval, factor: number): string {
  if (Number.isNaN(factor)) throw intervalOutOfRange();
  let resultMonths = span.months * factor;
  if (!Number.isFinite(resultMonths) || resultMonths < INT32_MIN || resultMonths > INT32_MAX) throw intervalOutOfRange();
  const months = Math.trunc(resultMonths);
  const monthRemainderDays = (resultMonths - months) * DAYS_PER_MONTH;
  const resultDays = span.days * factor;
  if (!Number.isFinite(resultDays) || resultDays < INT32_MIN || resultDays > INT32_MAX) throw intervalOutOfRange();
  let days = Math.trunc(resultDays);
  let secRemainder = tsRound((span.days * factor - days + monthRemainderDays - Math.trunc(monthRemainderDays)) * 86_400);
  if (Math.abs(secRemainder) >= 86_400) {
    days += Math.trunc(secRemainder / 86_400);
    secRemainder -= Math.trunc(secRemainder / 86_400) * 86_400;
  }
  days += Math.trunc(monthRemainderDays);
  const micros = rint(span.micros * factor + secRemainder * USECS_PER_SEC);
  if (!Number.isFinite(micros) || Math.abs(micros) > 9.2233720368547758e18) throw intervalOutOfRange();
  resultMonths = months;
  return encodeInterval(resultMonths, days, micros);
}

/** interval_div. */
export function divideInterval(span: Interval, factor: number): string {
  if (factor === 0) throw new DbError('22012', 'division by zero');
  if (Number.isNaN(factor)) throw intervalOutOfRange();
  const months = Math.trunc(span.months / factor);
  let days = Math.trunc(span.days / factor);
  const monthRemainderDays = tsRound((span.months / factor - months) * DAYS_PER_MONTH);
  let secRemainder = tsRound((span.days / factor - days + monthRemainderDays - Math.trunc(monthRemainderDays)) * 86_400);
  if (Math.abs(secRemainder) >= 86_400) {
    days += Math.trunc(secRemainder / 86_400);
    secRemainder -= Math.trunc(secRemainder / 86_400) * 86_400;
  }
  days += Math.trunc(monthRemainderDays);
  const micros = rint(span.micros / factor + secRemainder * USECS_PER_SEC);
  return encodeInterval(months, days, micros);
}

/** Makes the signs of a (higher, lower) unit pair agree by moving one `unit` of lower across. */
function agreeSigns(higher: number, lower: number, unit: number): [number, number] {
  if (higher > 0 && lower < 0) return [higher - 1, lower + unit];
  if (higher < 0 && lower > 0) return [higher + 1, lower - unit];
  return [higher, lower];
}

/** justify_hours: whole 24-hour periods of the time part become days, signs made to agree. */
export function justifyHours(span: Interval): Interval {
  const [days, micros] = agreeSigns(span.days + Math.trunc(span.micros / USECS_PER_DAY), span.micros % USECS_PER_DAY, USECS_PER_DAY);
  return { months: span.months, days, micros };
}

/** justify_days: whole 30-day periods become months, signs made to agree. */
export function justifyDays(span: Interval): Interval {
  const [months, days] = agreeSigns(span.months + Math.trunc(span.days / DAYS_PER_MONTH), span.days % DAYS_PER_MONTH, DAYS_PER_MONTH);
  return { months, days, micros: span.micros };
}

/** justify_interval (PostgreSQL 15's order: time into days, days into months, then the signs). */
export function justifyInterval(span: Interval): Interval {
  let months = span.months;
  let days = span.days;
  let micros = span.micros;
  days += Math.trunc(micros / USECS_PER_DAY);
  micros = micros % USECS_PER_DAY;
  months += Math.trunc(days / DAYS_PER_MONTH);
  days = days % DAYS_PER_MONTH;
  if (months > 0 && (days < 0 || (days === 0 && micros < 0))) {
    days += DAYS_PER_MONTH;
    months--;
  } else if (months < 0 && (days > 0 || (days === 0 && micros > 0))) {
    days -= DAYS_PER_MONTH;
    months++;
  }
  [days, micros] = agreeSigns(days, micros, USECS_PER_DAY);
  return { months, days, micros };
}

/** The broken-down fields PostgreSQL's interval2itm gives (C truncating division throughout). */
export interface IntervalFields {
  years: number;
  months: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
  fraction: number;
}

export function intervalFields(span: Interval): IntervalFields {
  let time = span.micros;
  const hours = Math.trunc(time / USECS_PER_HOUR);
  time -= hours * USECS_PER_HOUR;
  const minutes = Math.trunc(time / USECS_PER_MINUTE);
  time -= minutes * USECS_PER_MINUTE;
  const seconds = Math.trunc(time / USECS_PER_SEC);
  const fraction = time - seconds * USECS_PER_SEC;
  return {
    years: Math.trunc(span.months / MONTHS_PER_YEAR),
    months: (span.months % MONTHS_PER_YEAR) + 0,
    days: span.days,
    hours: hours + 0,
    minutes: minutes + 0,
    seconds: seconds + 0,
    fraction: fraction + 0,
  };
}
