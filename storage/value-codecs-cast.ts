/**
 * castValue: PostgreSQL 15's cast semantics between Eventide's types, for constants folded by
 * the binder and for cast kernels to follow.
 *
 * - integer narrowing checks the range (22003 "integer out of range");
 * - float -> integer rounds half to even (rint), numeric -> integer half away from zero;
 * - float8 -> numeric goes through %.15g (float4: %.6g), as PostgreSQL does;
 * - bool <-> integer only; bool -> text is 'true'/'false';
 * - text-like <-> anything through the input/output functions; jsonb -> bool/number extracts a
 *   scalar; date/timestamp/timestamptz convert in the session time zone;
 * - type modifiers (numeric(p,s), varchar(n), timestamp(p)) are applied to the result;
 * - every other pair is 42846 "cannot cast type X to Y".
 */
import { DbError, numericOutOfRange, unreachable } from './errors.js';
import {
  applyTimestampPrecision,
  dateToTimestamp,
  dateToTimestamptz,
  timestampToDate,
  timestampToTimestamptz,
  timestamptzToDate,
  timestamptzToTimestamp,
} from './datetime.js';
import { roundToFloat32 } from './float-format.js';
import {
  numericApplyTypmod,
  numericFromBigInt,
  numericFromFloat4,
  numericFromNumber,
  numericToBigInt,
  numericToFloat4,
  numericToNumber,
} from './numeric.js';
import { decodeArray, encodeArray } from './array-value.js';
import { elementType, formatType, type DataType, type TypeId, type Value } from './types.js';
import { resolveSettings, type FormatSettings } from './value-codecs-settings.js';
import type { TimeZone } from './datetime-zone.js';
import { applyVarcharTypmod } from './value-codecs-scalar.js';
import { formatText, parseText } from './value-codecs-text.js';

/** How a cast was asked for: varchar(n) truncates only on an explicit cast. */
export type CastContext = 'explicit' | 'assignment' | 'implicit';

const integerTypes: ReadonlySet<TypeId> = new Set<TypeId>(['int2', 'int4', 'int8']);
const floatTypes: ReadonlySet<TypeId> = new Set<TypeId>(['float4', 'float8']);
const stringTypes: ReadonlySet<TypeId> = new Set<TypeId>(['text', 'varchar', 'unknown']);
const numberTypes: ReadonlySet<TypeId> = new Set<TypeId>(['int2', 'int4', 'int8', 'float4', 'float8', 'numeric']);
const timeTypes: ReadonlySet<TypeId> = new Set<TypeId>(['date', 'timestamp', 'timestamptz']);

const integerNames: Readonly<Record<string, string>> = { int2: 'smallint', int4: 'integer', int8: 'bigint' };

/** PostgreSQL names the types without their modifiers in this message. */
const cannotCast = (from: DataType, to: DataType) =>
  new DbError('42846', `cannot cast type ${formatType({ ...from, typmod: -1 })} to ${formatType({ ...to, typmod: -1 })}`);

/** Whether PostgreSQL has a cast (of any context) from one type to the other. */
export function castExists(from: TypeId, to: TypeId): boolean {
  if (from === to) return true;
  if (stringTypes.has(from) || (stringTypes.has(to) && to !== 'unknown')) return true;
  if (numberTypes.has(from) && numberTypes.has(to)) return true;
  if ((from === 'bool' && to === 'int4') || (from === 'int4' && to === 'bool')) return true;
  if (timeTypes.has(from) && timeTypes.has(to)) return true;
  if (from === 'jsonb' && (to === 'bool' || numberTypes.has(to))) return true;
  // array -> array casts each element (array_coerce).
  if (from.startsWith('_') && to.startsWith('_')) return castExists(from.slice(1) as TypeId, to.slice(1) as TypeId);
  return false;
}

/** Applies a type modifier to a value already of that type. */
function applyTypmod(value: Value, to: DataType, context: CastContext): Value {
  if (to.typmod < 0 || value === null) return value;
  switch (to.id) {
    case 'numeric':
      return numericApplyTypmod(value as string, to.typmod);
    case 'varchar':
      return applyVarcharTypmod(value as string, to.typmod, context === 'explicit');
    case 'timestamp':
    case 'timestamptz':
      return applyTimestampPrecision(value as number, to.typmod);
    default:
      return value;
  }
}

export function castValue(
  value: Value,
  from: DataType,
  to: DataType,
  settings: FormatSettings | null,
  context: CastContext = 'explicit',
): Value {
  if (value === null) return null;
  if (!castExists(from.id, to.id)) throw cannotCast(from, to);
  return applyTypmod(convert(value, from, to, settings), to, context);
}

function convert(value: Value, from: DataType, to: DataType, settings: FormatSettings | null): Value {
  if (from.id === to.id) return value;
  if (stringTypes.has(from.id)) {
    const text = value as string;
    if (stringTypes.has(to.id)) return text;
    return parseText({ ...to, typmod: -1 }, text, settings);
  }
  if (stringTypes.has(to.id)) {
    if (from.id === 'bool') return value === true || value === 1 ? 'true' : 'false';
    return formatText(from, value, settings);
  }
  if (numberTypes.has(from.id) && numberTypes.has(to.id)) return convertNumber(value, from.id, to.id);
  if (from.id === 'bool') return value === true || value === 1 ? 1 : 0;
  if (to.id === 'bool' && from.id === 'int4') return (value as number) !== 0;
  if (timeTypes.has(from.id)) return convertTime(value as number, from.id, to.id, settings);
  if (from.id === 'jsonb') return convertJsonb(value as string, to);
  const fromElement = elementType(from);
  const toElement = elementType(to);
  if (fromElement !== null && toElement !== null) {
    const values = decodeArray(value as string, fromElement).map((v) => castValue(v, fromElement, toElement, settings, 'explicit'));
    return encodeArray(values, toElement);
  }
  throw cannotCast(from, to);
}

/** Narrows an integer (as a bigint) to the target type, or 22003. */
function toInteger(value: bigint, to: TypeId): number | bigint {
  if (to === 'int8') {
    if (value < -9223372036854775808n || value > 9223372036854775807n) throw numericOutOfRange('bigint');
    return value;
  }
  const limit = to === 'int4' ? 2147483648n : 32768n;
  if (value < -limit || value >= limit) throw numericOutOfRange(integerNames[to] as string);
  return Number(value);
}

/** rint: half to even. */
function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const difference = value - floor;
  if (difference > 0.5) return floor + 1;
  if (difference < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** float -> integer: rint, then the range check PostgreSQL makes on the float. */
function floatToInteger(value: number, to: TypeId): number | bigint {
  const name = integerNames[to] as string;
  const rounded = roundHalfEven(value);
  const limit = to === 'int8' ? 9223372036854775808 : to === 'int4' ? 2147483648 : 32768;
  if (Number.isNaN(rounded) || rounded < -limit || rounded >= limit) throw numericOutOfRange(name);
  return to === 'int8' ? BigInt(rounded) : rounded;
}

/** An int8 to float32 in one rounding (a double in between could round twice). */
function bigintToFloat32(value: bigint): number {
  const approx = Number(value);
  return roundToFloat32(approx, () => {
    const back = BigInt(approx);
    return value > back ? 1 : value < back ? -1 : 0;
  });
}

function convertNumber(value: Value, from: TypeId, to: TypeId): Value {
  if (integerTypes.has(from)) {
    const big = typeof value === 'bigint' ? value : BigInt(value as number);
    if (integerTypes.has(to)) return toInteger(big, to);
    if (to === 'float8') return Number(big);
    if (to === 'float4') return from === 'int8' ? bigintToFloat32(big) : Math.fround(Number(big));
    return numericFromBigInt(big);
  }
  if (floatTypes.has(from)) {
    const number = value as number;
    if (integerTypes.has(to)) return floatToInteger(number, to);
    if (to === 'numeric') return from === 'float4' ? numericFromFloat4(number) : numericFromNumber(number);
    if (to === 'float8') return number;
    // float8 -> float4
    const narrowed = Math.fround(number);
    if (!Number.isFinite(narrowed) && Number.isFinite(number)) throw new DbError('22003', 'value out of range: overflow');
    if (narrowed === 0 && number !== 0) throw new DbError('22003', 'value out of range: underflow');
    return narrowed;
  }
  // numeric -> other numbers
  const text = value as string;
  if (integerTypes.has(to)) {
    const big = numericToBigInt(text, integerNames[to] as string);
    return to === 'int8' ? big : Number(big);
  }
  if (to === 'float8') return numericToNumber(text);
  if (to === 'float4') return numericToFloat4(text);
  return unreachable(to as never, 'numeric cast target');
}

function convertTime(value: number, from: TypeId, to: TypeId, settings: FormatSettings | null): number {
  return timeConversion(from, to, settings)(value);
}

/**
 * The conversion between two date/time types as one function, the session zone resolved once:
 * a cast kernel calls it per row without re-reading settings.
 */
export function timeConversion(from: TypeId, to: TypeId, settings: FormatSettings | null): (value: number) => number {
  let resolvedZone: TimeZone | null = null;
  const zone = () => (resolvedZone ??= resolveSettings(settings).zone);
  switch (from + '>' + to) {
    case 'date>timestamp':
      return dateToTimestamp;
    case 'date>timestamptz':
      return (value) => dateToTimestamptz(value, zone());
    case 'timestamp>date':
      return timestampToDate;
    case 'timestamp>timestamptz':
      return (value) => timestampToTimestamptz(value, zone());
    case 'timestamptz>date':
      return (value) => timestamptzToDate(value, zone());
    case 'timestamptz>timestamp':
      return (value) => timestamptzToTimestamp(value, zone());
    default:
      throw new DbError('XX000', `internal error: no time conversion from ${from} to ${to}`);
  }
}

const jsonbTargetNames: Readonly<Record<string, string>> = {
  bool: 'boolean',
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  float4: 'real',
  float8: 'double precision',
  numeric: 'numeric',
};

/** jsonb -> bool or a number: the document must be a scalar of the matching kind (22023). */
function convertJsonb(text: string, to: DataType): Value {
  const first = text.charCodeAt(0);
  const kind =
    first === 123 ? 'object' : first === 91 ? 'array' : first === 34 ? 'string' : first === 110 ? 'null' : first === 116 || first === 102 ? 'boolean' : 'numeric';
  const targetName = jsonbTargetNames[to.id] ?? to.name;
  if (to.id === 'bool') {
    if (kind !== 'boolean') throw new DbError('22023', `cannot cast jsonb ${kind} to type ${targetName}`);
    return text === 'true';
  }
  if (kind !== 'numeric') throw new DbError('22023', `cannot cast jsonb ${kind} to type ${targetName}`);
  return to.id === 'numeric' ? text : convertNumber(text, 'numeric', to.id);
}
