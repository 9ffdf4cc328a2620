/**
 * to_char(interval, format) for the time and count patterns, as PostgreSQL 15's interval_to_char
 * fills formatting.c's fields from interval2itm: hours are not folded into days (HH24 can pass 24),
 * a negative field keeps its sign (width 3: "-05"), years print without the BC adjustment, and
 * DDD is the span in days (months as 30). Calendar patterns (month and day names, weekdays, ISO
 * weeks) are refused as PostgreSQL refuses them; the rest report 0A000.
 */
import { DbError, featureNotSupported } from '../../storage/errors.js';
import type { IntervalFields } from '../../storage/interval.js';
import { formatClockKeyword } from './to-char-clock.js';

const invalidForInterval = () =>
  new DbError('22007', 'invalid format specification for an interval value', { hint: 'Intervals are not tied to specific calendar dates.' });

/** C's "%0*lld" with PostgreSQL's interval widths: two digits, three when negative (sign included). */
function pad(n: number, width: number, fillMode: boolean): string {
  const total = fillMode ? 0 : n < 0 ? width + 1 : width;
  const digits = String(Math.abs(n)).padStart(n < 0 ? Math.max(total - 1, 0) : total, '0');
  return n < 0 ? '-' + digits : digits;
}

export function formatIntervalKeyword(keyword: string, fillMode: boolean, f: IntervalFields): string {
  const upper = keyword.toUpperCase();
  const micro = f.fraction;
  const clock = formatClockKeyword(keyword, upper, fillMode, pad, f.hours, f.minutes, f.seconds, micro);
  if (clock !== null) return clock;
  switch (upper) {
    case 'FF1':
    case 'FF2':
    case 'FF3':
    case 'FF4':
    case 'FF5':
    case 'FF6': {
      const digits = Number(upper.slice(2));
      return pad(Math.trunc(micro / 10 ** (6 - digits)), digits, fillMode);
    }
    case 'YYYY':
      return pad(f.years, 4, fillMode);
    case 'MM':
      return pad(f.months, 2, fillMode);
    case 'DD':
      return pad(f.days, 2, fillMode);
    case 'DDD':
      return pad((f.years * 12 + f.months) * 30 + f.days, 3, fillMode);
    case 'FX':
      return '';
    case 'MONTH':
    case 'MON':
    case 'DAY':
    case 'DY':
    case 'D':
    case 'ID':
    case 'IW':
    case 'IDDD':
    case 'IYYY':
    case 'IYY':
    case 'IY':
    case 'I':
    case 'AD':
    case 'BC':
    case 'A.D.':
    case 'B.C.':
      throw invalidForInterval();
    default:
      throw featureNotSupported(`to_char pattern ${keyword} for an interval`);
  }
}
