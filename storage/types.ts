/**
 * DataType: a SQL type, its physical vector layout and its PostgreSQL identity (OID, length).
 * Text and binary wire codecs for each type live in `value-codecs.ts`.
 *
 * Physical layouts (one JS representation per type, chosen once per vector, never per row):
 *   bool            Uint8Array (0/1)
 *   int2/int4       Int16Array / Int32Array
 *   int8            BigInt64Array
 *   float4/float8   Float32Array / Float64Array
 *   date            Int32Array, days since 1970-01-01
 *   timestamp(tz)   Float64Array, microseconds since 1970-01-01 00:00:00 UTC (exact within
 *                   about ±285 years of 1970; PostgreSQL's own resolution is also 1 µs)
 *   numeric, text, varchar, jsonb
 *                   string[] (numeric in canonical decimal text, jsonb in PostgreSQL's normalized
 *                   jsonb text form)
 *   arrays (_int4 ...) string[], a JSON array of the elements' values (see array-value.ts)
 *   interval        string[]: an order-preserving span key, then months, days and microseconds
 *                   (storage/interval.ts). Its 128 bits (int32 months, int32 days, int64 µs) fit
 *                   no single typed-array element; as a string it flows through the tail, WAL,
 *                   segments, zone maps and sorts unchanged, and code point order is its order.
 */
export type ElementTypeId =
  | 'bool'
  | 'int2'
  | 'int4'
  | 'int8'
  | 'float4'
  | 'float8'
  | 'numeric'
  | 'text'
  | 'varchar'
  | 'date'
  | 'timestamp'
  | 'timestamptz'
  | 'interval'
  | 'jsonb';

/** One-dimensional arrays, named as PostgreSQL's pg_type names them (`_int4` is integer[]). */
export type ArrayTypeId = `_${ElementTypeId}`;

export type TypeId = ElementTypeId | ArrayTypeId | 'unknown';

export type Layout = 'bool' | 'int16' | 'int32' | 'int64' | 'float32' | 'float64' | 'string';

export interface DataType {
  readonly id: TypeId;
  /** PostgreSQL's type name as shown by format_type and error messages. */
  readonly name: string;
  readonly oid: number;
  /** pg_type.typlen: fixed byte length, or -1 for variable length. */
  readonly typlen: number;
  /** Type modifier, e.g. varchar(20) has typmod 24; -1 when none. */
  readonly typmod: number;
  readonly layout: Layout;
}

function def(id: TypeId, name: string, oid: number, typlen: number, layout: Layout): DataType {
  return Object.freeze({ id, name, oid, typlen, typmod: -1, layout });
}

export const Types = {
  bool: def('bool', 'boolean', 16, 1, 'bool'),
  int2: def('int2', 'smallint', 21, 2, 'int16'),
  int4: def('int4', 'integer', 23, 4, 'int32'),
  int8: def('int8', 'bigint', 20, 8, 'int64'),
  float4: def('float4', 'real', 700, 4, 'float32'),
  float8: def('float8', 'double precision', 701, 8, 'float64'),
  numeric: def('numeric', 'numeric', 1700, -1, 'string'),
  text: def('text', 'text', 25, -1, 'string'),
  varchar: def('varchar', 'character varying', 1043, -1, 'string'),
  date: def('date', 'date', 1082, 4, 'int32'),
  timestamp: def('timestamp', 'timestamp without time zone', 1114, 8, 'float64'),
  timestamptz: def('timestamptz', 'timestamp with time zone', 1184, 8, 'float64'),
  interval: def('interval', 'interval', 1186, 16, 'string'),
  jsonb: def('jsonb', 'jsonb', 3802, -1, 'string'),
  _bool: def('_bool', 'boolean[]', 1000, -1, 'string'),
  _int2: def('_int2', 'smallint[]', 1005, -1, 'string'),
  _int4: def('_int4', 'integer[]', 1007, -1, 'string'),
  _int8: def('_int8', 'bigint[]', 1016, -1, 'string'),
  _float4: def('_float4', 'real[]', 1021, -1, 'string'),
  _float8: def('_float8', 'double precision[]', 1022, -1, 'string'),
  _numeric: def('_numeric', 'numeric[]', 1231, -1, 'string'),
  _text: def('_text', 'text[]', 1009, -1, 'string'),
  _varchar: def('_varchar', 'character varying[]', 1015, -1, 'string'),
  _date: def('_date', 'date[]', 1182, -1, 'string'),
  _timestamp: def('_timestamp', 'timestamp without time zone[]', 1115, -1, 'string'),
  _timestamptz: def('_timestamptz', 'timestamp with time zone[]', 1185, -1, 'string'),
  _interval: def('_interval', 'interval[]', 1187, -1, 'string'),
  _jsonb: def('_jsonb', 'jsonb[]', 3807, -1, 'string'),
  /** The type of an untyped string literal or parameter before the binder resolves it. */
  unknown: def('unknown', 'unknown', 705, -2, 'string'),
} as const satisfies Record<TypeId, DataType>;

const byOid = new Map<number, DataType>(Object.values(Types).map((t) => [t.oid, t]));

export function typeByOid(oid: number): DataType | undefined {
  return byOid.get(oid);
}

export function typeById(id: TypeId): DataType {
  return Types[id];
}

/** The element type of an array type; null for other types. */
export function elementType(type: DataType): DataType | null {
  return type.id.startsWith('_') ? Types[type.id.slice(1) as ElementTypeId] : null;
}

/** The array type of an element type; null for `unknown` and for arrays (one dimension only). */
export function arrayType(type: DataType): DataType | null {
  if (type.id === 'unknown' || type.id.startsWith('_')) return null;
  return Types[`_${type.id}` as ArrayTypeId];
}

export function isArrayType(type: DataType): boolean {
  return type.id.startsWith('_');
}

/** The id of a type known not to be an array (codecs dispatch arrays first, then switch on this). */
export function scalarTypeId(type: DataType): Exclude<TypeId, ArrayTypeId> {
  return type.id as Exclude<TypeId, ArrayTypeId>;
}

/** A type with a modifier (varchar(n), numeric(p,s)); typmod follows PostgreSQL's encoding. */
export function withTypmod(type: DataType, typmod: number): DataType {
  if (typmod === type.typmod) return type;
  return Object.freeze({ ...type, typmod });
}

/** PostgreSQL's format_type output, e.g. `character varying(20)`, `numeric(10,2)`. */
export function formatType(type: DataType): string {
  if (type.typmod < 0) return type.name;
  if (type.id === 'varchar') return `${type.name}(${type.typmod - 4})`;
  if (type.id === 'numeric') {
    const t = type.typmod - 4;
    return `numeric(${(t >> 16) & 0xffff},${t & 0xffff})`;
  }
  return type.name;
}

export function isNumericType(type: DataType): boolean {
  return (
    type.id === 'int2' ||
    type.id === 'int4' ||
    type.id === 'int8' ||
    type.id === 'float4' ||
    type.id === 'float8' ||
    type.id === 'numeric'
  );
}

export function isStringType(type: DataType): boolean {
  return type.id === 'text' || type.id === 'varchar' || type.id === 'unknown';
}

export function isTimeType(type: DataType): boolean {
  return type.id === 'date' || type.id === 'timestamp' || type.id === 'timestamptz';
}

/**
 * A single SQL value in its JS form, matching the vector layout of its type:
 * boolean | number (int2/int4/float/date days/timestamp µs) | bigint (int8) | string
 * (numeric/text/varchar/jsonb/interval), or null.
 */
export type Value = boolean | number | bigint | string | null;
