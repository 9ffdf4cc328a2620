/**
 * timestamp + interval as PostgreSQL's timestamp_pl_interval and timestamptz_pl_interval do it:
 * months step on the calendar (the day clamped to the month's end), then days, both on the wall
 * clock (of `zone` for timestamptz, so a day across a DST change is 23 or 25 hours), then time.
 */
import { date2j, daysInMonth, END_TIMESTAMP, j2date, joinMicros, MIN_TIMESTAMP, splitMicros, UNIX_EPOCH_JDATE } from './datetime-calendar.js';
import { timestampToTimestamptz, timestamptzToTimestamp, type TimeZone } from './datetime.js';
import { DbError } from './errors.js';
import type { Interval } from './interval.js';

const timestampOutOfRange = () => new DbError('22008', 'timestamp out of range');

export function addIntervalToTimestamp(micros: number, span: Interval, zone: TimeZone | null): number {
  if (!Number.isFinite(micros)) return micros;
  let result = micros;
  if (span.months !== 0 || span.days !== 0) {
    const local = zone === null ? result : timestamptzToTimestamp(result, zone);
    const split = splitMicros(local);
    let days = split.days;
    if (span.months !== 0) {
      const date = j2date(days + UNIX_EPOCH_JDATE, { year: 0, month: 0, day: 0 });
      let month = date.month + span.months;
      let year = date.year;
      if (month > 12) {
        year += Math.trunc((month - 1) / 12);
        month = ((month - 1) % 12) + 1;
      } else if (month < 1) {
        year += Math.trunc(month / 12) - 1;
        month = (month % 12) + 12;
      }
      const day = Math.min(date.day, daysInMonth(year, month));
      days = date2j(year, month, day) - UNIX_EPOCH_JDATE;
    }
    days += span.days;
    const moved = joinMicros(days, split.timeOfDay);
    if (moved < MIN_TIMESTAMP || moved >= END_TIMESTAMP) throw timestampOutOfRange();
    result = zone === null ? moved : timestampToTimestamptz(moved, zone);
  }
  result += span.micros;
  if (result < MIN_TIMESTAMP || result >= END_TIMESTAMP) throw timestampOutOfRange();
  return result;
}

