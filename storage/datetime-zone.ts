/**
 * Time zones for timestamptz: UTC, fixed offsets and IANA zones (offsets found through
 * Intl.DateTimeFormat and cached per UTC day), with PostgreSQL's rule for local times that fall
 * into a transition gap or overlap (DetermineTimeZoneOffset).
 *
 * Offsets here are seconds EAST of UTC; PostgreSQL's internal `tz` values are seconds west, and
 * the decoder converts at its boundary.
 */
import { DbError } from './errors.js';
import { SECS_PER_DAY } from './datetime-calendar.js';

export interface TimeZone {
  /** The name as PostgreSQL shows it (SHOW TimeZone). */
  readonly name: string;
  /** Offset in seconds east of UTC at a UTC instant given in seconds since 1970. */
  offsetAt(utcSeconds: number): number;
  /** Offset for a local wall-clock time (seconds since 1970 read as if UTC): DetermineTimeZoneOffset. */
  offsetForLocal(localSeconds: number): number;
  /** The zone abbreviation in effect at a UTC instant (non-ISO DateStyles print it). */
  abbreviationAt(utcSeconds: number): string;
  /** Seconds east of UTC when the zone never changes its offset (UTC, fixed offsets), else null. */
  readonly fixedOffset: number | null;
}

class FixedZone implements TimeZone {
  constructor(
    readonly name: string,
    private readonly offset: number,
    private readonly abbreviation: string,
  ) {}
  get fixedOffset(): number {
    return this.offset;
  }
  offsetAt(): number {
    return this.offset;
  }
  offsetForLocal(): number {
    return this.offset;
  }
  abbreviationAt(): string {
    return this.abbreviation;
  }
}

interface DayOffsets {
  readonly start: number;
  /** First second (UTC) at which `after` applies, or Infinity when the day has no transition. */
  readonly transition: number;
  readonly after: number;
}

/** JS Date's range in seconds (with a day's margin for offsets). */
const DATE_LIMIT_SECONDS = 8.64e12 - SECS_PER_DAY * 2;
/** 400 Gregorian years: the calendar, and so a zone's final yearly rule, repeats after this. */
const GREGORIAN_CYCLE_SECONDS = 146_097 * SECS_PER_DAY;

/** Moves an instant beyond JS Date's range by whole 400-year cycles to where Intl can see it. */
function intoDateRange(utcSeconds: number): number {
  if (Math.abs(utcSeconds) <= DATE_LIMIT_SECONDS) return utcSeconds;
  const cycles = Math.ceil((Math.abs(utcSeconds) - DATE_LIMIT_SECONDS) / GREGORIAN_CYCLE_SECONDS);
  return utcSeconds - Math.sign(utcSeconds) * cycles * GREGORIAN_CYCLE_SECONDS;
}
const DAY_CACHE_LIMIT = 50_000;

class IanaZone implements TimeZone {
  readonly fixedOffset = null;
  private readonly offsetFormat: Intl.DateTimeFormat;
  private readonly nameFormat: Intl.DateTimeFormat;
  private readonly days = new Map<number, DayOffsets>();

  constructor(readonly name: string) {
    this.offsetFormat = new Intl.DateTimeFormat('en-US', { timeZone: name, timeZoneName: 'longOffset', year: 'numeric' });
    this.nameFormat = new Intl.DateTimeFormat('en-US', { timeZone: name, timeZoneName: 'short', year: 'numeric' });
  }

  /** The offset straight from Intl ("GMT-04:56:02" -> -17762). */
  private rawOffset(utcSeconds: number): number {
    const parts = this.offsetFormat.formatToParts(intoDateRange(utcSeconds) * 1000);
    const text = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    return parseGmtOffset(text);
  }

  private day(dayNumber: number): DayOffsets {
    let entry = this.days.get(dayNumber);
    if (entry !== undefined) return entry;
    const first = dayNumber * SECS_PER_DAY;
    const last = first + SECS_PER_DAY - 1;
    const start = this.rawOffset(first);
    const end = this.rawOffset(last);
    if (start === end) {
      entry = { start, transition: Infinity, after: end };
    } else {
      let low = first;
      let high = last;
      while (high - low > 1) {
        const middle = Math.floor((low + high) / 2);
        if (this.rawOffset(middle) === start) low = middle;
        else high = middle;
      }
      entry = { start, transition: high, after: end };
    }
    if (this.days.size >= DAY_CACHE_LIMIT) this.days.clear();
    this.days.set(dayNumber, entry);
    return entry;
  }

  offsetAt(utcSeconds: number): number {
    const entry = this.day(Math.floor(utcSeconds / SECS_PER_DAY));
    return utcSeconds >= entry.transition ? entry.after : entry.start;
  }

  /** The first transition after `from` and up to `to`, or null. */
  private nextTransition(from: number, to: number): { at: number; before: number; after: number } | null {
    for (let dayNumber = Math.floor(from / SECS_PER_DAY); dayNumber * SECS_PER_DAY <= to; dayNumber++) {
      const entry = this.day(dayNumber);
      if (entry.transition > from && entry.transition <= to) {
        return { at: entry.transition, before: entry.start, after: entry.after };
      }
    }
    return null;
  }

  offsetForLocal(localSeconds: number): number {
    // As PostgreSQL: find the boundary following (local - 1 day) and pick a side of it.
    const previous = localSeconds - SECS_PER_DAY;
    const boundary = this.nextTransition(previous, localSeconds + SECS_PER_DAY);
    if (boundary === null) return this.offsetAt(previous);
    const beforeTime = localSeconds - boundary.before;
    const afterTime = localSeconds - boundary.after;
    if (beforeTime < boundary.at && afterTime < boundary.at) return boundary.before;
    if (beforeTime > boundary.at && afterTime >= boundary.at) return boundary.after;
    // Inside a gap (spring forward) take the earlier offset; inside an overlap, the later one.
    return beforeTime > afterTime ? boundary.before : boundary.after;
  }

  abbreviationAt(utcSeconds: number): string {
    const text = this.nameFormat.formatToParts(intoDateRange(utcSeconds) * 1000).find((p) => p.type === 'timeZoneName')?.value ?? '';
    if (/^[A-Za-z]+$/.test(text) && text !== 'GMT') return text;
    return numericAbbreviation(this.offsetAt(utcSeconds));
  }
}

function parseGmtOffset(text: string): number {
  const match = /^GMT(?:([+-])(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?)?$/.exec(text);
  if (match === null || match[1] === undefined) return 0;
  const seconds = Number(match[2]) * 3600 + Number(match[3] ?? 0) * 60 + Number(match[4] ?? 0);
  return match[1] === '-' ? -seconds : seconds;
}

/** tzdata's numeric abbreviation for an offset: +03, -0330. */
function numericAbbreviation(offset: number): string {
  const magnitude = Math.abs(offset);
  const hours = Math.floor(magnitude / 3600);
  const minutes = Math.floor((magnitude % 3600) / 60);
  const sign = offset < 0 ? '-' : '+';
  return sign + String(hours).padStart(2, '0') + (minutes !== 0 ? String(minutes).padStart(2, '0') : '');
}

const utcNames = new Set(['utc', 'etc/utc', 'uct', 'etc/uct', 'zulu', 'etc/zulu', 'universal', 'etc/universal']);
const gmtNames = new Set(['gmt', 'etc/gmt', 'gmt0', 'etc/gmt0', 'gmt+0', 'gmt-0', 'etc/gmt+0', 'etc/gmt-0', 'greenwich', 'etc/greenwich']);

const zones = new Map<string, TimeZone | null>();

/** A POSIX zone without daylight rules, e.g. "UTC+3" or "<+05>-05": offsets are west-positive. */
function posixZone(name: string): TimeZone | null {
  // The name part is optional: PostgreSQL takes '+05:30' as POSIX too (UTC-05:30).
  const match = /^(?:[A-Za-z]{3,}|<[A-Za-z0-9+-]+>)?([+-]?)(\d{1,2})(?::(\d{1,2}))?(?::(\d{1,2}))?$/.exec(name);
  if (match === null) return null;
  const west = Number(match[2]) * 3600 + Number(match[3] ?? 0) * 60 + Number(match[4] ?? 0);
  if (west > 24 * 3600) return null;
  const offset = match[1] === '-' ? west : -west;
  return new FixedZone(name, offset, numericAbbreviation(offset));
}

/**
 * pg_tzset: a zone by name (IANA names and aliases, any case, and POSIX "XXX±h" forms), or null.
 */
export function findTimeZone(name: string): TimeZone | null {
  let zone = zones.get(name);
  if (zone !== undefined) return zone;
  const lower = name.toLowerCase();
  if (utcNames.has(lower)) zone = new FixedZone(lower === 'uct' ? 'UCT' : name === lower ? 'UTC' : name, 0, 'UTC');
  else if (gmtNames.has(lower)) zone = new FixedZone(name, 0, 'GMT');
  else {
    try {
      const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
      zone = new IanaZone(resolved);
    } catch {
      zone = posixZone(name);
    }
  }
  if (zones.size > 1000) zones.clear();
  zones.set(name, zone);
  return zone;
}

/** A fixed offset zone in seconds east, named as PostgreSQL shows it. */
export function fixedOffsetZone(offsetSeconds: number, name?: string): TimeZone {
  return new FixedZone(name ?? numericAbbreviation(offsetSeconds), offsetSeconds, numericAbbreviation(offsetSeconds));
}

/**
 * The session TimeZone setting: a number of hours (SQL sign convention, east positive, as in
 * SET TIME ZONE '+02' or -7.5) or a zone name. 22023 for anything unknown.
 */
export function resolveTimeZone(setting: string): TimeZone {
  const trimmed = setting.trim();
  if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(trimmed)) {
    const hours = Number(trimmed);
    if (Math.abs(hours) <= 15) {
      const cacheKey = '#' + trimmed;
      let zone = zones.get(cacheKey);
      if (zone === undefined || zone === null) {
        zone = fixedOffsetZone(Math.round(hours * 3600), trimmed);
        zones.set(cacheKey, zone);
      }
      return zone;
    }
  }
  const zone = findTimeZone(trimmed);
  if (zone === null) {
    throw new DbError('22023', `invalid value for parameter "TimeZone": "${setting}"`);
  }
  return zone;
}

export const utcZone: TimeZone = new FixedZone('UTC', 0, 'UTC');
