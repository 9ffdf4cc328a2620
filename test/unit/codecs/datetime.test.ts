/**
 * Date/time properties beyond the recorded fixtures: every printed timestamptz reads back to the
 * same instant in its zone, DST gaps and overlaps resolve as PostgreSQL resolves them, and the
 * conversions between date, timestamp and timestamptz agree with each other.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dateToTimestamptz,
  formatTimestamptz,
  parseDateStyle,
  parseTimestamp,
  parseTimestamptz,
  resolveTimeZone,
  timestampToTimestamptz,
  timestamptzToDate,
  timestamptzToTimestamp,
} from '../../../storage/datetime.js';

const zones = ['UTC', 'America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns', '+02', 'UTC+3'];
const iso = parseDateStyle('ISO, MDY');
const now = () => Date.UTC(2024, 0, 31) * 1000;

describe('timestamptz text round trip', () => {
  for (const name of zones) {
    it(`${name}: parse(format(t)) == t`, () => {
      const zone = resolveTimeZone(name);
      const context = { zone, dateOrder: 'MDY' as const, nowMicros: now };
      fc.assert(
        fc.property(fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }), (micros) => {
          expect(parseTimestamptz(formatTimestamptz(micros, zone, iso), context)).toBe(micros);
        }),
        { numRuns: 200 },
      );
    });
  }
});

describe('local times in transitions', () => {
  const zone = resolveTimeZone('America/New_York');
  const context = { zone, dateOrder: 'MDY' as const, nowMicros: now };

  it('a time in the spring-forward gap takes the offset before the transition', () => {
    const micros = parseTimestamptz('2024-03-10 02:30:00', context);
    expect(formatTimestamptz(micros, zone, iso)).toBe('2024-03-10 03:30:00-04');
  });

  it('a time in the fall-back overlap takes the offset after the transition', () => {
    const micros = parseTimestamptz('2024-11-03 01:30:00', context);
    expect(formatTimestamptz(micros, zone, iso)).toBe('2024-11-03 01:30:00-05');
  });

  it('timestamp -> timestamptz -> timestamp keeps wall-clock times outside gaps', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000 }), (seconds) => {
        const wall = seconds * 1_000_000;
        const instant = timestampToTimestamptz(wall, zone);
        const back = timestamptzToTimestamp(instant, zone);
        // Only a time inside a spring-forward gap moves (by the gap, one hour here).
        expect([0, 3_600_000_000]).toContain(back - wall);
      }),
    );
  });

  it('date -> timestamptz is local midnight, and reads back as the same date', () => {
    fc.assert(
      fc.property(fc.integer({ min: -30_000, max: 60_000 }), (days) => {
        const instant = dateToTimestamptz(days, zone);
        expect(timestamptzToDate(instant, zone)).toBe(days);
      }),
    );
  });
});

describe('special inputs', () => {
  const context = { zone: resolveTimeZone('UTC'), dateOrder: 'MDY' as const, nowMicros: now };

  it("'now' and 'today' use the given clock", () => {
    expect(parseTimestamp('now', context)).toBe(now());
    expect(parseTimestamp('today', context)).toBe(now());
    expect(parseTimestamp('tomorrow', context)).toBe(now() + 86_400_000_000);
    expect(parseTimestamp('yesterday', context)).toBe(now() - 86_400_000_000);
  });

  it('rejects an unknown session time zone with 22023', () => {
    expect(() => resolveTimeZone('Mars/Olympus')).toThrow(/invalid value for parameter "TimeZone"/);
  });
});
