/**
 * date_part(text, date | timestamp | timestamptz) returning float8, and EXTRACT(field FROM x),
 * which arrives as extract(text, x) and returns numeric (PostgreSQL 14+), as PostgreSQL 15's
 * timestamp_part_common and extract_date compute them. timestamptz fields are read in the
 * session TimeZone; infinite inputs give ±Infinity for monotonic units and NULL for the others.
 */
import { Types } from '../../storage/types.js';
import { DbError } from '../../storage/errors.js';
import { date2j, DATE_NEGATIVE_INFINITY, DATE_POSITIVE_INFINITY, j2day, UNIX_EPOCH_JDATE, USECS_PER_SEC } from '../../storage/datetime-calendar.js';
import { resolveTimeZone, type TimeZone } from '../../storage/datetime.js';
import { numericAdd, numericDiv } from '../../storage/numeric.js';
import { finite, formatDecimal } from '../../storage/numeric-decimal.js';
import type { Vector } from '../../storage/vector.js';
import type { ScalarFunctionDef } from '../../planner/functions.js';
import { fixedResult, numbersOf, strictValidity, stringResult, stringsOf } from './function-vectors.js';
import { intervalReader } from './interval-functions.js';
import { intervalPart } from './interval-part.js';
import { isoWeek, isoYear, localFields, lowerUnits, parseUnit, type DateUnit } from './date-units.js';

type Kind = 'timestamp' | 'timestamptz' | 'date';
const typeNames: Record<Kind, string> = { timestamp: 'timestamp without time zone', timestamptz: 'timestamp with time zone', date: 'date' };
const monotonic = new Set<DateUnit>(['year', 'decade', 'century', 'millennium', 'julian', 'isoyear', 'epoch']);
const timeUnits = new Set<DateUnit>(['microseconds', 'milliseconds', 'second', 'minute', 'hour']);
const zoneUnits = new Set<DateUnit>(['timezone', 'timezone_hour', 'timezone_minute']);

function checkUnit(text: string, kind: Kind): DateUnit {
  const unit = parseUnit(text);
  if (unit === null) throw new DbError('22023', `unit "${lowerUnits(text)}" not recognized for type ${typeNames[kind]}`);
  return unit;
}

function unsupported(text: string, kind: Kind): DbError {
  return new DbError('0A000', `unit "${lowerUnits(text)}" not supported for type ${typeNames[kind]}`);
}

/** A field as an exact decimal (integer × 10^-scale) and as PostgreSQL's float8 formula computes it. */
interface Part {
  exact: number;
  scale: number;
  float: number;
  /** The exact value when it is no integer × 10^-scale (julian's fraction of a day). */
  decimal?: string;
}

// C integer arithmetic has no negative zero.
const whole = (n: number): Part => ({ exact: n + 0, scale: 0, float: n + 0 });

function yearPart(unit: DateUnit, year: number): number {
  switch (unit) {
    case 'year':
      return year > 0 ? year : year - 1;
    case 'decade':
      return year >= 0 ? Math.trunc(year / 10) : -Math.trunc((8 - (year - 1)) / 10);
    case 'century':
      return year > 0 ? Math.trunc((year + 99) / 100) : -Math.trunc((99 - (year - 1)) / 100);
    default:
      return year > 0 ? Math.trunc((year + 999) / 1000) : -Math.trunc((999 - (year - 1)) / 1000);
  }
}

/** The field of a finite wall-clock time; `offsetEast` is the zone offset (timestamptz only). */
function partOf(unit: DateUnit, localMicros: number, utcMicros: number, offsetEast: number): Part {
  const f = localFields(localMicros);
  const secondsMicros = f.second * USECS_PER_SEC + f.micro;
  switch (unit) {
    case 'microseconds':
      return { exact: secondsMicros, scale: 0, float: f.second * 1000000.0 + f.micro };
    case 'milliseconds':
      return { exact: secondsMicros, scale: 3, float: f.second * 1000.0 + f.micro / 1000.0 };
    case 'second':
      return { exact: secondsMicros, scale: 6, float: f.second + f.micro / 1000000.0 };
    case 'minute':
      return whole(f.minute);
    case 'hour':
      return whole(f.hour);
    case 'day':
      return whole(f.day);
    case 'month':
      return whole(f.month);
    case 'quarter':
      return whole(Math.trunc((f.month - 1) / 3) + 1);
    case 'week':
      return whole(isoWeek(f.year, f.month, f.day));
    case 'year':
    case 'decade':
    case 'century':
    case 'millennium':
      return whole(yearPart(unit, f.year));
    case 'isoyear': {
      const y = isoYear(f.year, f.month, f.day);
      return whole(y <= 0 ? y - 1 : y);
    }
    case 'dow':
      return whole(j2day(f.julian));
    case 'isodow':
      return whole(j2day(f.julian) === 0 ? 7 : j2day(f.julian));
    case 'doy':
      return whole(f.julian - date2j(f.year, 1, 1) + 1);
    case 'epoch':
      return { exact: utcMicros, scale: 6, float: utcMicros / 1000000.0 };
    case 'julian': {
      const timeMicros = ((f.hour * 60 + f.minute) * 60) * USECS_PER_SEC + secondsMicros;
      // The float8 formula; the numeric one divides the time of day exactly.
      const float = f.julian + ((f.hour * 60 + f.minute) * 60 + f.second + f.micro / 1000000.0) / 86400;
      return { exact: 0, scale: 0, float, decimal: numericAdd(String(f.julian), numericDiv(String(timeMicros), '86400000000')) };
    }
    case 'timezone':
      return whole(offsetEast);
    case 'timezone_hour':
      return whole(Math.trunc(offsetEast / 3600));
    case 'timezone_minute':
      return whole(Math.trunc(offsetEast / 60) % 60);
  }
}

/** Checks `unit` against the input type; the result is ±Infinity, NULL (null) or the field. */
function extractRow(text: string, kind: Kind, value: number, zone: TimeZone | null): Part | string | null {
  const unit = checkUnit(text, kind);
  if (kind === 'date') {
    if (timeUnits.has(unit) || zoneUnits.has(unit)) throw unsupported(text, kind);
    if (value === DATE_POSITIVE_INFINITY || value === DATE_NEGATIVE_INFINITY) {
      if (!monotonic.has(unit)) return null;
      return value > 0 ? 'Infinity' : '-Infinity';
    }
    if (unit === 'epoch') return whole(value * 86400);
    if (unit === 'julian') return whole(value + UNIX_EPOCH_JDATE);
    return partOf(unit, value * 86400 * USECS_PER_SEC, 0, 0);
  }
  if (!Number.isFinite(value)) {
    if (!monotonic.has(unit)) return null;
    return value > 0 ? 'Infinity' : '-Infinity';
  }
  if (kind === 'timestamp') {
    if (zoneUnits.has(unit)) throw unsupported(text, kind);
    return partOf(unit, value, value, 0);
  }
  const offset = (zone as TimeZone).offsetAt(Math.floor(value / USECS_PER_SEC));
  return partOf(unit, value + offset * USECS_PER_SEC, value, offset);
}

const kinds: readonly Kind[] = ['timestamp', 'timestamptz', 'date'];
const inputTypes = [Types.timestamp, Types.timestamptz, Types.date];

function partFunction(name: string, numeric: boolean): ScalarFunctionDef {
  return {
    name,
    signatures: [...inputTypes, Types.interval].map((t) => ({ argTypes: [Types.text, t], returnType: numeric ? Types.numeric : Types.float8 })),
    strict: true,
    evaluate: (signature, args, n, context) => {
      if (signature === inputTypes.length) return intervalParts(args, n, numeric);
      let kind = kinds[signature] as Kind;
      const validity = strictValidity(args, n) ?? new Uint8Array(n).fill(1);
      const units = stringsOf(args[0]);
      let input = numbersOf(args[1] as Vector);
      // date_part(text, date) is PostgreSQL's SQL wrapper over the timestamp version.
      if (!numeric && kind === 'date') {
        const days = input;
        input = Float64Array.from({ length: n }, (_, i) => {
          const d = days[i] as number;
          return d === DATE_POSITIVE_INFINITY ? Infinity : d === DATE_NEGATIVE_INFINITY ? -Infinity : d * 86400 * USECS_PER_SEC;
        });
        kind = 'timestamp';
      }
      const zone = kind === 'timestamptz' ? resolveTimeZone(context.settings.timeZone) : null;
      const floats = numeric ? null : new Float64Array(n);
      const decimals = numeric ? new Array<string>(n).fill('') : null;
      for (let i = 0; i < n; i++) {
        if (validity[i] === 0) continue;
        const part = extractRow(units[i] as string, kind, input[i] as number, zone);
        if (part === null) validity[i] = 0;
        else if (typeof part === 'string') {
          if (floats !== null) floats[i] = Number(part);
          else (decimals as string[])[i] = part;
        } else if (floats !== null) floats[i] = part.float;
        else (decimals as string[])[i] = part.decimal ?? formatDecimal(finite(BigInt(part.exact), part.scale));
      }
      return floats !== null ? fixedResult(Types.float8, floats, validity) : stringResult(Types.numeric, decimals as string[], validity);
    },
  };
}

/** extract/date_part over intervals (interval-part.ts). */
function intervalParts(args: readonly Vector[], n: number, numeric: boolean): Vector {
  const validity = strictValidity(args, n);
  const units = stringsOf(args[0]);
  const spans = intervalReader(args[1]);
  const floats = numeric ? null : new Float64Array(n);
  const decimals = numeric ? new Array<string>(n).fill('') : null;
  for (let i = 0; i < n; i++) {
    if (validity !== null && validity[i] === 0) continue;
    const part = intervalPart(units[i] as string, spans(i), numeric);
    if (floats !== null) floats[i] = part as number;
    else (decimals as string[])[i] = part as string;
  }
  return floats !== null ? fixedResult(Types.float8, floats, validity) : stringResult(Types.numeric, decimals as string[], validity);
}

export const datePartFunctions: readonly ScalarFunctionDef[] = [partFunction('date_part', false), partFunction('extract', true)];
