/**
 * DataRow encoding. Per batch, each column gets one cell writer chosen by its type and format
 * (type dispatch once per vector, never per row); the row loop then only checks validity and
 * calls the writer. Integers, booleans and strings are written directly into the output buffer;
 * other types go through the value codecs (PostgreSQL's output functions a vector at a time,
 * send functions a value at a time).
 */
import { endianness } from 'node:os';
import { assert, DbError } from '../../storage/errors.js';
import type { DataType } from '../../storage/types.js';
import { getValue, type Batch, type FixedVector, type Vector } from '../../storage/vector.js';
import { writeInt32At, type OutputBuffer } from './output-buffer.js';
import { encodeBinary, formatVectorText, type FormatSettings } from './value-codecs.js';

/** Writes the cell (int32 length + bytes) of the non-NULL value at physical row `row`, live row `live`. */
export type CellWriter = (out: OutputBuffer, row: number, live: number) => void;

assert(endianness() === 'LE', 'int64 cells are read as two little-endian int32 halves');

const twoPow32 = 4294967296;

/** Writes an integer (|value| < 2^53) as a length-prefixed decimal text cell, without a string. */
export function writeIntegerText(out: OutputBuffer, value: number): void {
  out.ensure(4 + 17);
  const buffer = out.buffer;
  const lengthAt = out.length;
  let at = lengthAt + 4;
  let n = value;
  if (n < 0) {
    buffer[at++] = 0x2d;
    n = -n;
  }
  let digits: number;
  if (n < 2147483648) {
    // The common case stays in int32 arithmetic.
    digits = n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : n < 10000 ? 4 : n < 100000 ? 5 : n < 1000000 ? 6 : n < 10000000 ? 7 : n < 100000000 ? 8 : n < 1000000000 ? 9 : 10;
    let m = n | 0;
    let pos = at + digits;
    do {
      const q = (m / 10) | 0;
      buffer[--pos] = 0x30 + m - q * 10;
      m = q;
    } while (m !== 0);
  } else {
    digits = 1;
    for (let t = n; t >= 10; t = Math.floor(t / 10)) digits++;
    let pos = at + digits;
    do {
      const q = Math.floor(n / 10);
      buffer[--pos] = 0x30 + (n - q * 10);
      n = q;
    } while (n > 0);
  }
  at += digits;
  writeInt32At(buffer, lengthAt, at - lengthAt - 4);
  out.length = at;
}

function int64Halves(vector: FixedVector): Int32Array {
  const values = vector.values;
  return new Int32Array(values.buffer, values.byteOffset, values.length * 2);
}

function textWriter(vector: Vector, type: DataType, settings: FormatSettings, selection: Int32Array | null): CellWriter {
  if (vector.kind === 'string') {
    const values = vector.values;
    if (type.id === 'text' || type.id === 'varchar' || type.id === 'unknown') {
      return (out, row) => out.lengthPrefixedUtf8(values[row] as string);
    }
  } else {
    switch (type.id) {
      case 'bool': {
        const values = vector.values as Uint8Array;
        return (out, row) => {
          out.int32(1);
          out.byte(values[row] === 0 ? 0x66 : 0x74);
        };
      }
      case 'int2':
      case 'int4': {
        const values = vector.values as Int16Array | Int32Array;
        return (out, row) => writeIntegerText(out, values[row] as number);
      }
      case 'int8': {
        const halves = int64Halves(vector);
        const values = vector.values as BigInt64Array;
        return (out, row) => {
          const high = halves[2 * row + 1] as number;
          const low = (halves[2 * row] as number) >>> 0;
          // Values within ±2^53 are exact as doubles: no BigInt per row.
          if (high >= -0x200000 && high < 0x200000) writeIntegerText(out, high * twoPow32 + low);
          else out.lengthPrefixedUtf8(String(values[row]));
        };
      }
      default:
        break;
    }
  }
  // Other types go through storage's output functions, a whole vector per call.
  const texts = formatVectorText(vector, selection, settings);
  return (out, _row, live) => out.lengthPrefixedUtf8(texts[live] as string);
}

function binaryWriter(vector: Vector, type: DataType): CellWriter {
  if (vector.kind === 'string') {
    const values = vector.values;
    if (type.id === 'text' || type.id === 'varchar' || type.id === 'unknown') {
      return (out, row) => out.lengthPrefixedUtf8(values[row] as string);
    }
  } else {
    switch (type.id) {
      case 'bool': {
        const values = vector.values as Uint8Array;
        return (out, row) => {
          out.int32(1);
          out.byte(values[row] === 0 ? 0 : 1);
        };
      }
      case 'int2': {
        const values = vector.values as Int16Array;
        return (out, row) => {
          out.int32(2);
          out.int16(values[row] as number);
        };
      }
      case 'int4': {
        const values = vector.values as Int32Array;
        return (out, row) => {
          out.int32(4);
          out.int32(values[row] as number);
        };
      }
      case 'int8': {
        const halves = int64Halves(vector);
        return (out, row) => {
          out.int32(8);
          out.int32(halves[2 * row + 1] as number);
          out.int32(halves[2 * row] as number);
        };
      }
      case 'float4': {
        const values = vector.values as Float32Array;
        return (out, row) => {
          out.int32(4);
          out.ensure(4);
          out.length = out.buffer.writeFloatBE(values[row] as number, out.length);
        };
      }
      case 'float8': {
        const values = vector.values as Float64Array;
        return (out, row) => {
          out.int32(8);
          out.ensure(8);
          out.length = out.buffer.writeDoubleBE(values[row] as number, out.length);
        };
      }
      default:
        break;
    }
  }
  return (out, row) => {
    const bytes = encodeBinary(type, getValue(vector, row));
    out.int32(bytes.length);
    out.bytes(bytes);
  };
}

/**
 * The cell writer for one column of a batch. `type` is the column's declared type (with its
 * typmod); the vector supplies the physical layout.
 */
export function cellWriter(
  vector: Vector,
  type: DataType,
  format: number,
  settings: FormatSettings,
  selection: Int32Array | null,
): CellWriter {
  const effective = type.layout === vector.type.layout ? type : vector.type;
  if (format === 0) return textWriter(vector, effective, settings, selection);
  if (format === 1) return binaryWriter(vector, effective);
  throw new DbError('22023', `unsupported format code: ${format}`);
}

/** Per-batch encoding state: one writer and validity array per column. */
export interface BatchEncoder {
  readonly batch: Batch;
  readonly writers: readonly CellWriter[];
  readonly validities: readonly (Uint8Array | null)[];
}

export function batchEncoder(
  batch: Batch,
  types: readonly DataType[],
  formats: ArrayLike<number>,
  settings: FormatSettings,
): BatchEncoder {
  assert(batch.columns.length === types.length, `batch has ${batch.columns.length} columns, result has ${types.length}`);
  const writers: CellWriter[] = [];
  const validities: (Uint8Array | null)[] = [];
  for (let c = 0; c < types.length; c++) {
    const vector = batch.columns[c] as Vector;
    writers.push(cellWriter(vector, types[c] as DataType, formats[c] ?? 0, settings, batch.selection));
    validities.push(vector.validity);
  }
  return { batch, writers, validities };
}

/**
 * Appends DataRows for live rows [from, to) of the batch, stopping early once the buffer holds
 * `stopBytes` or more. Returns the live row index after the last row written.
 */
export function encodeDataRows(out: OutputBuffer, encoder: BatchEncoder, from: number, to: number, stopBytes: number): number {
  const { writers, validities } = encoder;
  const selection = encoder.batch.selection;
  const columns = writers.length;
  for (let i = from; i < to; i++) {
    const row = selection === null ? i : (selection[i] as number);
    const start = out.begin(0x44);
    out.int16(columns);
    for (let c = 0; c < columns; c++) {
      const validity = validities[c] as Uint8Array | null;
      if (validity !== null && validity[row] === 0) out.int32(-1);
      else (writers[c] as CellWriter)(out, row, i);
    }
    out.end(start);
    if (out.length >= stopBytes) return i + 1;
  }
  return to;
}
