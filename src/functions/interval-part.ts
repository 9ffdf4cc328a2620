/**
 * The interval forms of extract/date_part and date_trunc, as PostgreSQL 15's interval_part_common
 * and interval_trunc compute them from the broken-down fields (interval2itm: years, months under
 * 12, days, hours of any size, minutes, seconds, microseconds, each truncated toward zero).
 */
import { DbError } from '../../storage/errors.js';
import { encodeInterval, intervalFields, type Interval } from '../../storage/interval.js';
import { finite, formatDecimal } from '../../storage/numeric-decimal.js';
import { lowerUnits, parseUnit, type DateUnit } from './date-units.js';

const notRecognized = (text: string) => new DbError('22023', `unit "${lowerUnits(text)}" not recognized for type interval`);
const notSupported = (text: string) => new DbError('0A000', `unit "${lowerUnits(text)}" not supported for type interval`);

function unitOf(text: string): DateUnit {
  const unit = parseUnit(text);
  if (unit === null) throw notRecognized(text);
  return unit;
}

/** extract (numeric, as decimal text) or date_part (float8) of one interval. */
export function intervalPart(text: string, span: Interval, numeric: boolean): string | number {
  const unit = unitOf(text);
  if (unit === 'epoch') {
    if (numeric) {
      const years = Math.trunc(span.months / 12);
      const months = span.months % 12;
      // (365.25 days per year, 30 per month) × 4 keeps the arithmetic whole, as PostgreSQL does.
      const seconds = (BigInt(1461 * years) + BigInt(120 * months) + BigInt(4 * span.days)) * 21600n;
      return formatDecimal(finite(seconds * 1000000n + BigInt(span.micros), 6));
    }
    let result = span.micros / 1000000.0;
    result += 365.25 * 86400 * Math.trunc(span.months / 12);
    result += 30 * 86400 * (span.months % 12);
    result += 86400 * span.days;
    return result;
  }
  const f = intervalFields(span);
  const secondMicros = f.seconds * 1000000 + f.fraction;
  let whole: number;
  switch (unit) {
    case 'microseconds':
      whole = secondMicros;
      break;
    case 'milliseconds':
      return numeric ? formatDecimal(finite(BigInt(secondMicros), 3)) : f.seconds * 1000.0 + f.fraction / 1000.0;
    case 'second':
      return numeric ? formatDecimal(finite(BigInt(secondMicros), 6)) : f.seconds + f.fraction / 1000000.0;
    case 'minute':
      whole = f.minutes;
      break;
    case 'hour':
      whole = f.hours;
      break;
    case 'day':
      whole = f.days;
      break;
    case 'month':
      whole = f.months;
      break;
    case 'quarter':
      whole = Math.trunc(f.months / 3) + 1;
      break;
    case 'year':
      whole = f.years;
      break;
    case 'decade':
      whole = Math.trunc(f.years / 10);
      break;
    case 'century':
      whole = Math.trunc(f.years / 100);
      break;
    case 'millennium':
      whole = Math.trunc(f.years / 1000);
      break;
    default:
      throw notSupported(text);
  }
  whole += 0;
  return numeric ? String(whole) : whole;
}

const order: readonly DateUnit[] = ['millennium', 'century', 'decade', 'year', 'quarter', 'month', 'day', 'hour', 'minute', 'second'];

/** date_trunc(text, interval): zeroes every field below `unit` (interval_trunc's fall-through). */
export function truncateInterval(text: string, span: Interval): string {
  const unit = unitOf(text);
  const f = intervalFields(span);
  if (unit === 'milliseconds') f.fraction = Math.trunc(f.fraction / 1000) * 1000;
  else if (unit !== 'microseconds') {
    const from = order.indexOf(unit);
    if (from < 0) {
      if (unit === 'week' || unit === 'dow' || unit === 'isodow' || unit === 'doy' || unit === 'timezone' || unit === 'timezone_hour' || unit === 'timezone_minute' || unit === 'isoyear') {
        const error = notSupported(text);
        throw unit === 'week' ? new DbError('0A000', error.message, { detail: 'Months usually have fractional weeks.' }) : error;
      }
      throw notRecognized(text);
    }
    for (const step of order.slice(from)) {
      switch (step) {
        case 'millennium':
          f.years = Math.trunc(f.years / 1000) * 1000;
          break;
        case 'century':
          f.years = Math.trunc(f.years / 100) * 100;
          break;
        case 'decade':
          f.years = Math.trunc(f.years / 10) * 10;
          break;
        case 'year':
          f.months = 0;
          break;
        case 'quarter':
          f.months = 3 * Math.trunc(f.months / 3);
          break;
        case 'month':
          f.days = 0;
          break;
        case 'day':
          f.hours = 0;
          break;
        case 'hour':
          f.minutes = 0;
          break;
        case 'minute':
          f.seconds = 0;
          break;
        default:
          f.fraction = 0;
      }
    }
  }
  const micros = ((f.hours * 60 + f.minutes) * 60 + f.seconds) * 1000000 + f.fraction;
  return encodeInterval(f.years * 12 + f.months, f.days, micros);
}
