/**
 * PostgreSQL text forms of generated values, built without Date objects or per-row allocation
 * beyond the result string. Outputs match what PostgreSQL prints (timestamptz with TimeZone
 * UTC, numeric(12,2), jsonb with its key order), so generated text compares equal to query
 * results.
 */
import { DAY_MS } from './seasonality.js';

const TWO_DIGITS: readonly string[] = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const dayText = new Map<number, string>();

/** 'YYYY-MM-DD' of a day number (days since 1970-01-01). */
export function formatDate(day: number): string {
  let text = dayText.get(day);
  if (text === undefined) {
    text = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (dayText.size < 100_000) dayText.set(day, text);
  }
  return text;
}

/** Fractional-second text of each millisecond 0..999, trailing zeros trimmed ('' for 0). */
const MILLIS_TEXT: readonly string[] = Array.from({ length: 1000 }, (_, ms) =>
  ms === 0 ? '' : ('.' + String(ms).padStart(3, '0')).replace(/0+$/, ''),
);

/** timestamptz text as PostgreSQL prints it with TimeZone UTC: '2024-06-01 13:07:00.25+00'. */
export function formatTimestamptz(microseconds: number): string {
  const ms = Math.floor(microseconds / 1000);
  const day = Math.floor(ms / DAY_MS);
  let rest = ms - day * DAY_MS;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  const subMillis = microseconds - ms * 1000;
  const fraction =
    subMillis === 0
      ? (MILLIS_TEXT[millis] as string)
      : ('.' + String(millis * 1000 + subMillis).padStart(6, '0')).replace(/0+$/, '');
  return formatDate(day) + ' ' + TWO_DIGITS[hours] + ':' + TWO_DIGITS[minutes] + ':' + TWO_DIGITS[seconds] + fraction + '+00';
}

/** numeric(12,2) text of a non-negative amount in cents: 1234 -> '12.34'. */
export function formatCents(cents: number): string {
  const whole = Math.floor(cents / 100);
  return `${whole}.${TWO_DIGITS[cents - whole * 100]}`;
}
