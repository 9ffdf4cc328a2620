/**
 * Column sinks: one per table column, chosen once per batch by the column's type, each writing
 * the JSON values of an event field straight into its typed array. Conversion follows
 * jsonb_populate_record: a JSON string's content, or the JSON text of any other value, goes
 * through the column type's input function (PostgreSQL's errors and range checks), with fast
 * paths for the common cases that give the same result: JSON numbers and booleans for numeric
 * and boolean columns (ISO 8601 timestamps take storage's datetime input, whose own fast path
 * reads them). Beyond PostgreSQL, a JSON number in a date or timestamp column is epoch milliseconds.
 */
import { DbError } from '../../storage/errors.js';
import { applyTimestampPrecision, parseDate, parseTimestamp, parseTimestamptz } from '../../storage/datetime.js';
import type { ColumnDef } from '../../storage/table-def.js';
import { parseText, resolveSettings } from '../../storage/value-codecs.js';
import { parseBool, parseInt2, parseInt4, parseInt8 } from '../../storage/value-codecs-scalar.js';
import { scalarTypeId, isArrayType, type DataType } from '../../storage/types.js';
import type { Vector } from '../../storage/vector.js';
import { jsonbText, jsonNumberText } from './jsonb-text.js';

const MICROS_PER_MS = 1000;
const MS_PER_DAY = 86_400_000;
/** Date/time input without a zone in the text is UTC, whatever any session's TimeZone is. */
const utcDecode = resolveSettings({ timeZone: 'UTC', dateStyle: 'ISO, YMD', extraFloatDigits: 1 }).decode;

/** The text a JSON value gives a type's input function (jsonb_populate_record's rule). */
export function inputText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return jsonNumberText(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return jsonbText(value);
}

export abstract class ColumnSink {
  protected validity: Uint8Array | null = null;

  constructor(
    readonly column: ColumnDef,
    protected readonly capacity: number,
  ) {}

  /** Stores a non-null JSON value at `row`; throws DbError when the column's type rejects it. */
  abstract set(row: number, value: unknown): void;

  /** Stores a computed value (a DEFAULT) as the storage layout holds it. */
  abstract setStored(row: number, value: unknown): void;

  setNull(row: number): void {
    if (this.validity === null) this.validity = new Uint8Array(this.capacity).fill(1);
    this.validity[row] = 0;
  }

  /** Marks `row` valid again (a row rejected after its NULL was written is reused). */
  setValid(row: number): void {
    if (this.validity !== null) this.validity[row] = 1;
  }

  abstract vector(rows: number): Vector;

  protected validityOf(rows: number): Uint8Array | null {
    if (this.validity === null) return null;
    const validity = this.validity.subarray(0, rows);
    return validity.indexOf(0) < 0 ? null : validity;
  }
}

type FixedValues = Uint8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** Columns stored as JS numbers in a typed array (bool, int2, int4, float4, float8, date, timestamps). */
class NumberSink extends ColumnSink {
  constructor(
    column: ColumnDef,
    capacity: number,
    private readonly values: FixedValues,
    private readonly convert: (value: unknown) => number,
  ) {
    super(column, capacity);
  }

  set(row: number, value: unknown): void {
    this.values[row] = this.convert(value);
    if (this.validity !== null) this.validity[row] = 1;
  }

  setStored(row: number, value: unknown): void {
    this.values[row] = typeof value === 'boolean' ? (value ? 1 : 0) : (value as number);
    if (this.validity !== null) this.validity[row] = 1;
  }

  vector(rows: number): Vector {
    return { kind: 'fixed', type: this.column.type, length: rows, values: this.values.subarray(0, rows), validity: this.validityOf(rows) };
  }
}

const TWO_TO_32 = 4_294_967_296;

/**
 * bigint columns: a JSON number that is a safe integer is written as two 32-bit halves, so no
 * BigInt is made per row; larger ones lost digits in JSON.parse and must come as strings.
 */
class Int64Sink extends ColumnSink {
  private readonly values: BigInt64Array;
  private readonly words: Uint32Array;

  constructor(column: ColumnDef, capacity: number) {
    super(column, capacity);
    this.values = new BigInt64Array(capacity);
    this.words = new Uint32Array(this.values.buffer);
  }

  set(row: number, value: unknown): void {
    if (typeof value === 'number' && Number.isSafeInteger(value)) {
      const high = Math.floor(value / TWO_TO_32);
      this.words[2 * row] = value - high * TWO_TO_32;
      this.words[2 * row + 1] = high;
    } else if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < 2 ** 63) {
      throw new DbError('22003', `value ${jsonNumberText(value)} is beyond the integers a JSON number holds exactly`, {
        hint: 'Send integers beyond 2^53 as JSON strings.',
      });
    } else {
      this.values[row] = parseInt8(inputText(value));
    }
    if (this.validity !== null) this.validity[row] = 1;
  }

  setStored(row: number, value: unknown): void {
    this.values[row] = value as bigint;
    if (this.validity !== null) this.validity[row] = 1;
  }

  vector(rows: number): Vector {
    return { kind: 'fixed', type: this.column.type, length: rows, values: this.values.subarray(0, rows), validity: this.validityOf(rows) };
  }
}

/** Columns stored as strings (text, varchar, numeric, jsonb, interval, arrays). */
class StringSink extends ColumnSink {
  private readonly values: string[];

  constructor(
    column: ColumnDef,
    capacity: number,
    private readonly convert: (value: unknown) => string,
  ) {
    super(column, capacity);
    this.values = new Array<string>(capacity).fill('');
  }

  set(row: number, value: unknown): void {
    this.values[row] = this.convert(value);
    if (this.validity !== null) this.validity[row] = 1;
  }

  setStored(row: number, value: unknown): void {
    this.values[row] = value as string;
    if (this.validity !== null) this.validity[row] = 1;
  }

  override setNull(row: number): void {
    super.setNull(row);
    this.values[row] = '';
  }

  vector(rows: number): Vector {
    const values = rows === this.values.length ? this.values : this.values.slice(0, rows);
    return { kind: 'string', type: this.column.type, length: rows, values, validity: this.validityOf(rows) };
  }
}

function integerConverter(min: number, max: number, parse: (text: string) => number): (value: unknown) => number {
  return (value) => (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : parse(inputText(value)));
}

function floatConverter(type: DataType): (value: unknown) => number {
  const real = type.id === 'float4';
  return (value) => {
    if (typeof value !== 'number') return parseText(type, inputText(value), null) as number;
    if (!real) return value;
    const rounded = Math.fround(value);
    if (!Number.isFinite(rounded)) throw new DbError('22003', `"${jsonNumberText(value)}" is out of range for type real`);
    if (rounded === 0 && value !== 0) throw new DbError('22003', `"${jsonNumberText(value)}" is out of range for type real`);
    return rounded;
  };
}

/** Epoch milliseconds to microseconds, within timestamp's range (PostgreSQL's 22008). */
function epochMillisToMicros(ms: number, typeName: string): number {
  // 294276-12-31 and 4714-11-24 BC, the ends of PostgreSQL's timestamp range, in epoch ms.
  if (!Number.isFinite(ms) || ms >= 9_224_318_016_000_000 || ms < -210_866_803_200_000) {
    throw new DbError('22008', `${typeName} out of range: "${jsonNumberText(ms)}"`);
  }
  return Math.round(ms * MICROS_PER_MS);
}

/** Timestamps: epoch ms, else the type's input (whose ISO 8601 fast path reads the common forms). */
function timestampConverter(type: DataType): (value: unknown) => number {
  const withZone = type.id === 'timestamptz';
  const precision = type.typmod;
  const finish = precision >= 0 && precision < 6 ? (micros: number) => applyTimestampPrecision(micros, precision) : (micros: number) => micros;
  return (value) => {
    if (typeof value === 'number') return finish(epochMillisToMicros(value, type.name));
    const text = inputText(value);
    return finish(withZone ? parseTimestamptz(text, utcDecode) : parseTimestamp(text, utcDecode));
  };
}

function dateConverter(): (value: unknown) => number {
  return (value) => {
    if (typeof value === 'number') return Math.floor(epochMillisToMicros(value, 'date') / MICROS_PER_MS / MS_PER_DAY);
    return parseDate(inputText(value), utcDecode);
  };
}

function boolConverter(): (value: unknown) => number {
  return (value) => (typeof value === 'boolean' ? (value ? 1 : 0) : parseBool(inputText(value)) ? 1 : 0);
}

function stringConverter(type: DataType): (value: unknown) => string {
  const id = scalarTypeId(type);
  if (id === 'jsonb' && !isArrayType(type)) return (value) => jsonbText(value);
  if (id === 'text' && !isArrayType(type)) {
    return (value) => {
      const text = inputText(value);
      if (text.indexOf('\u0000') >= 0) throw new DbError('22P05', 'unsupported Unicode escape sequence', { detail: '\\u0000 cannot be converted to text.' });
      return text;
    };
  }
  return (value) => {
    const text = inputText(value);
    if (text.indexOf('\u0000') >= 0) throw new DbError('22P05', 'unsupported Unicode escape sequence', { detail: '\\u0000 cannot be converted to text.' });
    return parseText(type, text, null) as string;
  };
}

/** The sink for a column, chosen by its type once per batch of `capacity` rows. */
export function columnSink(column: ColumnDef, capacity: number): ColumnSink {
  const type = column.type;
  if (isArrayType(type)) return new StringSink(column, capacity, stringConverter(type));
  const id = scalarTypeId(type);
  switch (id) {
    case 'bool':
      return new NumberSink(column, capacity, new Uint8Array(capacity), boolConverter());
    case 'int2':
      return new NumberSink(column, capacity, new Int16Array(capacity), integerConverter(-32768, 32767, parseInt2));
    case 'int4':
      return new NumberSink(column, capacity, new Int32Array(capacity), integerConverter(-2147483648, 2147483647, parseInt4));
    case 'int8':
      return new Int64Sink(column, capacity);
    case 'float4':
      return new NumberSink(column, capacity, new Float32Array(capacity), floatConverter(type));
    case 'float8':
      return new NumberSink(column, capacity, new Float64Array(capacity), floatConverter(type));
    case 'date':
      return new NumberSink(column, capacity, new Int32Array(capacity), dateConverter());
    case 'timestamp':
    case 'timestamptz':
      return new NumberSink(column, capacity, new Float64Array(capacity), timestampConverter(type));
    default:
      return new StringSink(column, capacity, stringConverter(type));
  }
}
