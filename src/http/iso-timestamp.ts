/**
 * A fast reader of the ISO 8601 timestamps events carry (`2023-06-01T16:12:14.721323Z`,
 * `2023-06-01 16:12:14+02:00`, `2023-06-01T16:12`), without Date objects or regular expressions.
 * It returns NaN for anything outside its narrow form; callers then take PostgreSQL's own datetime
 * input (storage/datetime.ts), which accepts every form PostgreSQL does and raises its errors, so
 * the fast path never decides what is valid, only how quickly a common valid value is read.
 */

const MICROS_PER_SECOND = 1_000_000;
const SECONDS_PER_DAY = 86_400;

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Two decimal digits at `at`, or -1. */
function twoDigits(text: string, at: number): number {
  const a = text.charCodeAt(at) - 48;
  const b = text.charCodeAt(at + 1) - 48;
  // Written so that NaN (past the end of the text) fails too.
  if (!(a >= 0 && a <= 9 && b >= 0 && b <= 9)) return -1;
  return a * 10 + b;
}

/** Where the fields of a parsed timestamp end up (reused, so parsing allocates nothing). */
export interface IsoParts {
  /** Local date-time in microseconds since 1970-01-01 00:00:00, before the offset is applied. */
  localMicros: number;
  /** Offset east of UTC in seconds; 0 for `Z` and for no offset. */
  offsetSeconds: number;
  /** Whether the text named an offset (`Z` or ±hh[:mm]). */
  hasOffset: boolean;
}

/**
 * Reads `YYYY-MM-DD`, optionally followed by `T` or a space and `hh:mm[:ss[.ffffff]]`, and an
 * optional `Z` or `±hh[[:]mm]`. Returns false (leaving `out` undefined) for anything else,
 * including valid forms it leaves to PostgreSQL's input: more than six fraction digits, 24:00,
 * leap seconds, years before 1 or after 9999, offsets past ±15:59.
 */
export function readIsoTimestamp(text: string, out: IsoParts): boolean {
  const length = text.length;
  if (length < 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return false;
  const century = twoDigits(text, 0);
  const yy = twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  if (century < 0 || yy < 0 || month < 1 || month > 12 || day < 1) return false;
  const year = century * 100 + yy;
  if (year < 1 || day > daysInMonth(year, month)) return false;
  let seconds = daysFromCivil(year, month, day) * SECONDS_PER_DAY;
  let fraction = 0;
  let at = 10;
  if (at < length) {
    const separator = text.charCodeAt(at);
    if (separator !== 84 && separator !== 116 && separator !== 32) return false; // T t space
    const hour = twoDigits(text, at + 1);
    const minute = text.charCodeAt(at + 3) === 58 ? twoDigits(text, at + 4) : -1;
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return false;
    seconds += hour * 3600 + minute * 60;
    at += 6;
    if (at < length && text.charCodeAt(at) === 58) {
      const second = twoDigits(text, at + 1);
      if (second < 0 || second > 59) return false;
      seconds += second;
      at += 3;
      if (at < length && text.charCodeAt(at) === 46) {
        at++;
        let digits = 0;
        let scale = 100_000;
        while (at < length) {
          const d = text.charCodeAt(at) - 48;
          if (!(d >= 0 && d <= 9)) break;
          if (++digits > 6) return false;
          fraction += d * scale;
          scale /= 10;
          at++;
        }
        if (digits === 0) return false;
      }
    }
  }
  out.offsetSeconds = 0;
  out.hasOffset = false;
  if (at < length) {
    const sign = text.charCodeAt(at);
    if ((sign === 90 || sign === 122) && at + 1 === length) {
      out.hasOffset = true;
    } else if (sign === 43 || sign === 45) {
      const hours = twoDigits(text, at + 1);
      if (hours < 0 || hours > 15) return false;
      at += 3;
      let minutes = 0;
      if (at < length) {
        if (text.charCodeAt(at) === 58) at++;
        minutes = twoDigits(text, at);
        if (minutes < 0 || minutes > 59 || at + 2 !== length) return false;
      }
      out.offsetSeconds = (sign === 45 ? -1 : 1) * (hours * 3600 + minutes * 60);
      out.hasOffset = true;
    } else {
      return false;
    }
  }
  out.localMicros = seconds * MICROS_PER_SECOND + fraction;
  return true;
}
