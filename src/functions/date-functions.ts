/**
 * Date and time functions: date_trunc (date-trunc.ts), date_part and extract (date-part.ts),
 * to_char (date-to-char.ts), timezone/AT TIME ZONE (date-zone-functions.ts), make_date,
 * make_timestamp, make_timestamptz, to_timestamp(float8) and now(), with PostgreSQL 15's results and errors.
 */
import { Types } from '../../storage/types.js';
import { DbError } from '../../storage/errors.js';
import { date2j, daysInMonth, isValidDateJulian, isValidJulian, POSTGRES_EPOCH_DAYS, UNIX_EPOCH_JDATE, USECS_PER_DAY } from '../../storage/datetime-calendar.js';
import { resolveTimeZone, timestampToTimestamptz } from '../../storage/datetime.js';
import type { ScalarFunctionDef } from '../../planner/functions.js';
import { fixedResult, numbersOf, strictValidity } from './function-vectors.js';
import { dateTruncFunction } from './date-trunc.js';
import { datePartFunctions } from './date-part.js';
import { toCharFunction } from './date-to-char.js';
import { toDateFunction, toTimestampFromText } from './date-from-format.js';
import { timezoneFunction } from './date-zone-functions.js';

const pad2 = (n: number) => String(n).padStart(2, '0');

/** make_date: a negative year is BC; there is no year zero. */
function makeDate(year: number, month: number, day: number): number {
  const bc = year < 0;
  const absYear = bc ? -year : year;
  const fieldError = () => new DbError('22008', `date field value out of range: ${absYear}-${pad2(month)}-${pad2(day)}`);
  if (absYear <= 0) throw fieldError();
  const astronomical = bc ? -(absYear - 1) : absYear;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(astronomical, month)) throw fieldError();
  if (!isValidJulian(astronomical, month)) throw new DbError('22008', `date out of range: ${absYear}-${pad2(month)}-${pad2(day)}`);
  const julian = date2j(astronomical, month, day);
  if (!isValidDateJulian(julian)) throw new DbError('22008', `date out of range: ${absYear}-${pad2(month)}-${pad2(day)}`);
  return julian - UNIX_EPOCH_JDATE;
}

/** make_timestamp: make_date's checks (a negative year is BC), then float_time_overflows; µs since 1970. */
function makeTimestamp(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  const days = makeDate(year, month, day);
  const secondMicros = rint(second * 1e6);
  const timeMicros = ((hour * 60 + minute) * 60) * 1e6 + secondMicros;
  if (hour < 0 || hour > 24 || minute < 0 || minute >= 60 || Number.isNaN(second) || secondMicros < 0 || secondMicros > 60e6 || timeMicros > USECS_PER_DAY) {
    throw new DbError('22008', `time field value out of range: ${hour}:${pad2(minute)}:${second}`);
  }
  const pgMicros = (days - POSTGRES_EPOCH_DAYS) * USECS_PER_DAY + timeMicros;
  if (pgMicros < MIN_PG_MICROS || pgMicros >= END_PG_MICROS) throw new DbError('22008', 'timestamp out of range');
  return pgMicros + POSTGRES_EPOCH_DAYS * USECS_PER_DAY;
}

function makeTimestampDef(name: string, withZone: boolean): ScalarFunctionDef {
  const I4 = Types.int4;
  return {
    name,
    signatures: [{ argTypes: [I4, I4, I4, I4, I4, Types.float8], returnType: withZone ? Types.timestamptz : Types.timestamp }],
    strict: true,
    evaluate: (_s, args, n, context) => {
      const validity = strictValidity(args, n);
      const fields = args.map((a) => numbersOf(a));
      const zone = withZone ? resolveTimeZone(context.settings.timeZone) : null;
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        if (validity !== null && validity[i] === 0) continue;
        const [y, mo, d, h, mi, s] = fields.map((f) => f[i] as number) as [number, number, number, number, number, number];
        const local = makeTimestamp(y, mo, d, h, mi, s);
        out[i] = zone === null ? local : timestampToTimestamptz(local, zone);
      }
      return fixedResult(withZone ? Types.timestamptz : Types.timestamp, out, validity);
    },
  };
}

const SECONDS_PER_DAY = 86_400;
/** DATETIME_MIN_JULIAN and TIMESTAMP_END_JULIAN of PostgreSQL's datatype/timestamp.h. */
const MIN_SECONDS = SECONDS_PER_DAY * (0 - UNIX_EPOCH_JDATE);
const END_SECONDS = SECONDS_PER_DAY * (109203528 - UNIX_EPOCH_JDATE);
const POSTGRES_EPOCH_SECONDS = POSTGRES_EPOCH_DAYS * SECONDS_PER_DAY;
const MIN_PG_MICROS = -211813488000000000;
const END_PG_MICROS = 9223371331200000000;

function rint(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 ? 2 * Math.round(x / 2) : r;
}

/** float8_timestamptz: seconds since 1970, rounded to the microsecond on PostgreSQL's epoch. */
function toTimestamp(seconds: number): number {
  if (Number.isNaN(seconds)) throw new DbError('22008', 'timestamp cannot be NaN');
  if (!Number.isFinite(seconds)) return seconds;
  if (seconds < MIN_SECONDS || seconds >= END_SECONDS) throw new DbError('22008', `timestamp out of range: "${seconds}"`);
  const pgMicros = rint((seconds - POSTGRES_EPOCH_SECONDS) * 1e6);
  if (pgMicros < MIN_PG_MICROS || pgMicros >= END_PG_MICROS) throw new DbError('22008', `timestamp out of range: "${seconds}"`);
  return pgMicros + POSTGRES_EPOCH_DAYS * USECS_PER_DAY;
}

export const dateFunctions: readonly ScalarFunctionDef[] = [
  dateTruncFunction,
  ...datePartFunctions,
  toCharFunction,
  toDateFunction,
  timezoneFunction,
  {
    name: 'make_date',
    signatures: [{ argTypes: [Types.int4, Types.int4, Types.int4], returnType: Types.date }],
    strict: true,
    evaluate: (_s, args, n) => {
      const validity = strictValidity(args, n);
      const [years, months, days] = [numbersOf(args[0]), numbersOf(args[1]), numbersOf(args[2])];
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        if (validity === null || validity[i] === 1) out[i] = makeDate(years[i] as number, months[i] as number, days[i] as number);
      }
      return fixedResult(Types.date, out, validity);
    },
  },
  makeTimestampDef('make_timestamp', false),
  makeTimestampDef('make_timestamptz', true),
  {
    name: 'to_timestamp',
    signatures: [
      { argTypes: [Types.float8], returnType: Types.timestamptz },
      { argTypes: [Types.text, Types.text], returnType: Types.timestamptz },
    ],
    strict: true,
    evaluate: (signature, args, n, context) => {
      if (signature === 1) return toTimestampFromText(args, n, context);
      const validity = strictValidity(args, n);
      const seconds = numbersOf(args[0]);
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) if (validity === null || validity[i] === 1) out[i] = toTimestamp(seconds[i] as number);
      return fixedResult(Types.timestamptz, out, validity);
    },
  },
  {
    // now() is the statement's start time: stable within a statement, so not strict and no input.
    name: 'now',
    signatures: [{ argTypes: [], returnType: Types.timestamptz }],
    strict: false,
    evaluate: (_s, _args, n, context) => fixedResult(Types.timestamptz, new Float64Array(n).fill(context.statementTimeMicros), null),
  },
];
