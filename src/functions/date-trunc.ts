/**
 * date_trunc(units, timestamp | timestamptz [, zone]) as PostgreSQL 15's timestamp_trunc and
 * timestamptz_trunc_internal: timestamptz values are truncated in the session TimeZone (or the
 * given zone); for units of a day and more the zone offset is looked up again for the result.
 */
import { Types } from '../../storage/types.js';
import { DbError } from '../../storage/errors.js';
import { date2j, joinMicros, UNIX_EPOCH_JDATE, USECS_PER_SEC } from '../../storage/datetime-calendar.js';
import { resolveTimeZone, type TimeZone } from '../../storage/datetime.js';
import { timestampToTimestamptz } from '../../storage/datetime.js';
import type { Vector } from '../../storage/vector.js';
import type { ScalarFunctionDef } from '../../planner/functions.js';
import { zoneNamed } from './date-zone-functions.js';
import { fixedResult, numbersOf, strictValidity, stringsOf } from './function-vectors.js';
import { intervalReader } from './interval-functions.js';
import { truncateInterval } from './interval-part.js';
import { localFields, lowerUnits, parseUnit, type DateUnit } from './date-units.js';

const truncatable = new Set<DateUnit>(['microseconds', 'milliseconds', 'second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year', 'decade', 'century', 'millennium']);
/** Units date_trunc's DecodeUnits does not know (only date_part's DecodeSpecial reads them). */
const specialOnly = new Set<DateUnit>(['dow', 'isodow', 'doy', 'isoyear', 'julian', 'epoch']);
const redoZone = new Set<DateUnit>(['day', 'week', 'month', 'quarter', 'year', 'decade', 'century', 'millennium']);

function checkUnit(text: string, typeName: string): DateUnit {
  const unit = parseUnit(text);
  if (unit === null || specialOnly.has(unit)) throw new DbError('22023', `unit "${lowerUnits(text)}" not recognized for type ${typeName}`);
  if (!truncatable.has(unit)) throw new DbError('0A000', `unit "${lowerUnits(text)}" not supported for type ${typeName}`);
  return unit;
}

/** Truncates a finite wall-clock time (µs since 1970) to `unit`. */
function truncateLocal(micros: number, unit: DateUnit): number {
  const f = localFields(micros);
  let { year, month, day, hour, minute, second, micro } = f;
  let dropTime = true;
  switch (unit) {
    case 'millennium':
      year = year > 0 ? Math.trunc((year + 999) / 1000) * 1000 - 999 : -Math.trunc((999 - (year - 1)) / 1000) * 1000 + 1;
      month = day = 1;
      break;
    case 'century':
      year = year > 0 ? Math.trunc((year + 99) / 100) * 100 - 99 : -Math.trunc((99 - (year - 1)) / 100) * 100 + 1;
      month = day = 1;
      break;
    case 'decade':
      year = year > 0 ? Math.trunc(year / 10) * 10 : -Math.trunc((8 - (year - 1)) / 10) * 10;
      month = day = 1;
      break;
    case 'year':
      month = day = 1;
      break;
    case 'quarter':
      month = 3 * Math.trunc((month - 1) / 3) + 1;
      day = 1;
      break;
    case 'month':
      day = 1;
      break;
    case 'week': {
      // The Monday of the ISO week.
      const monday = f.julian - ((((f.julian + 1) % 7) + 6) % 7);
      return joinMicros(monday - UNIX_EPOCH_JDATE, 0);
    }
    case 'day':
      break;
    default:
      dropTime = false;
  }
  if (dropTime) return joinMicros(date2j(year, month, day) - UNIX_EPOCH_JDATE, 0);
  if (unit === 'hour') minute = second = micro = 0;
  else if (unit === 'minute') second = micro = 0;
  else if (unit === 'second') micro = 0;
  else if (unit === 'milliseconds') micro = Math.trunc(micro / 1000) * 1000;
  return joinMicros(f.julian - UNIX_EPOCH_JDATE, ((hour * 60 + minute) * 60 + second) * USECS_PER_SEC + micro);
}

const USECS_PER_DAY = 86_400 * USECS_PER_SEC;
/** Units whose truncation is `x - x mod step` on a wall clock (weeks counted from a Monday). */
const fixedSteps: Partial<Record<DateUnit, number>> = {
  microseconds: 1,
  milliseconds: 1000,
  second: USECS_PER_SEC,
  minute: 60 * USECS_PER_SEC,
  hour: 3600 * USECS_PER_SEC,
  day: USECS_PER_DAY,
  week: 7 * USECS_PER_DAY,
};
/** 1970-01-05, the first Monday after the epoch. */
const mondayAnchor = 4 * USECS_PER_DAY;

function truncateTimestamptz(micros: number, unit: DateUnit, zone: TimeZone): number {
  const offset = zone.offsetAt(Math.floor(micros / USECS_PER_SEC));
  const local = truncateLocal(micros + offset * USECS_PER_SEC, unit);
  return redoZone.has(unit) ? timestampToTimestamptz(local, zone) : local - offset * USECS_PER_SEC;
}

export const dateTruncFunction: ScalarFunctionDef = {
  name: 'date_trunc',
  signatures: [
    { argTypes: [Types.text, Types.timestamp], returnType: Types.timestamp },
    { argTypes: [Types.text, Types.timestamptz], returnType: Types.timestamptz },
    { argTypes: [Types.text, Types.timestamptz, Types.text], returnType: Types.timestamptz },
    { argTypes: [Types.text, Types.interval], returnType: Types.interval },
  ],
  strict: true,
  evaluate: (signature, args, n, context) => {
    const validity = strictValidity(args, n);
    if (signature === 3) {
      const units = stringsOf(args[0]);
      const spans = intervalReader(args[1]);
      const out = new Array<string>(n).fill('');
      for (let i = 0; i < n; i++) if (validity === null || validity[i] === 1) out[i] = truncateInterval(units[i] as string, spans(i));
      return { kind: 'string', type: Types.interval, length: n, values: out, validity };
    }
    const units = stringsOf(args[0]);
    const input = numbersOf(args[1] as Vector);
    const zones = signature === 2 ? stringsOf(args[2]) : null;
    const sessionZone = signature === 1 ? resolveTimeZone(context.settings.timeZone) : null;
    const typeName = signature === 0 ? 'timestamp without time zone' : 'timestamp with time zone';
    const out = new Float64Array(n);
    // Wall-clock offset in µs when it is the same for every row (timestamp, or a fixed zone).
    const fixedOffset = signature === 0 ? 0 : signature === 1 && sessionZone?.fixedOffset != null ? sessionZone.fixedOffset * USECS_PER_SEC : null;
    let lastText: string | null = null;
    let unit: DateUnit = 'day';
    let step = 0;
    for (let i = 0; i < n; i++) {
      if (validity !== null && validity[i] === 0) continue;
      const micros = input[i] as number;
      // PostgreSQL 15 returns an infinite input before it reads the units.
      if (!Number.isFinite(micros)) {
        out[i] = micros;
        continue;
      }
      const text = units[i] as string;
      if (text !== lastText) {
        unit = checkUnit(text, typeName);
        lastText = text;
        step = fixedSteps[unit] ?? 0;
      }
      if (step > 0 && fixedOffset !== null) {
        // Units of fixed length on a fixed offset are arithmetic: no calendar fields.
        const local = micros + fixedOffset - (unit === 'week' ? mondayAnchor : 0);
        const r = local % step;
        out[i] = local - r - (r < 0 ? step : 0) + (unit === 'week' ? mondayAnchor : 0) - fixedOffset;
        continue;
      }
      if (signature === 0) out[i] = truncateLocal(micros, unit);
      else out[i] = truncateTimestamptz(micros, unit, sessionZone ?? zoneNamed(zones?.[i] as string));
    }
    return fixedResult(signature === 0 ? Types.timestamp : Types.timestamptz, out, validity);
  },
};
