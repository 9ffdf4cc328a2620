/**
 * Vector and Batch: the unit of data flowing between storage, operators and the wire.
 *
 * A Vector is one column chunk. Fixed-width types keep their values in a typed array; string
 * types (text, varchar, numeric, jsonb) keep a JS string array. `validity` is null when no value is
 * NULL, else one byte per row (1 = valid, 0 = NULL); the value slot of a NULL row is unspecified
 * (zero / empty string). Vectors are immutable once built: operators make new ones.
 *
 * A Batch is vectors of equal length (a few thousand to 64K rows). `selection`, when present,
 * lists the physical row indexes that are live, in ascending order, so a filter never copies.
 */
import { assert } from './errors.js';
import type { DataType, Layout, Value } from './types.js';

export type FixedArray = Uint8Array | Int16Array | Int32Array | BigInt64Array | Float32Array | Float64Array;

export interface FixedVector {
  readonly kind: 'fixed';
  readonly type: DataType;
  readonly length: number;
  readonly values: FixedArray;
  readonly validity: Uint8Array | null;
}

export interface StringVector {
  readonly kind: 'string';
  readonly type: DataType;
  readonly length: number;
  readonly values: readonly string[];
  readonly validity: Uint8Array | null;
  /**
   * When the values come from a dictionary (a segment block's, the tail's): `values[i]` is
   * `dictionary.entries[dictionary.codes[i]]` for every valid row. Entries may repeat (a
   * dictionary of results computed per entry), so whoever groups by codes maps entries by value.
   * Kernels that understand it work on the small entries and the integer codes instead of the
   * strings (group by, comparisons with constants); everything else just reads `values`.
   */
  readonly dictionary?: StringDictionary;
}

export interface StringDictionary {
  readonly entries: readonly string[];
  /** One code per physical row, within the entries (0 on NULL rows). */
  readonly codes: Int32Array;
}

/**
 * A dictionary-coded string vector whose strings are gathered from the entries only when
 * something reads `values`; filters, slices and group-bys on codes never do.
 */
class DictionaryVector implements StringVector {
  readonly kind = 'string';
  private strings: string[] | null = null;
  readonly dictionary: StringDictionary;

  constructor(
    readonly type: DataType,
    readonly length: number,
    readonly validity: Uint8Array | null,
    entries: readonly string[],
    codes: Int32Array,
  ) {
    this.dictionary = { entries, codes };
  }

  get values(): readonly string[] {
    if (this.strings === null) {
      const { entries, codes } = this.dictionary;
      const out = new Array<string>(this.length);
      for (let i = 0; i < this.length; i++) out[i] = entries[codes[i] as number] as string;
      this.strings = out;
    }
    return this.strings;
  }
}

export function dictionaryVector(type: DataType, validity: Uint8Array | null, entries: readonly string[], codes: Int32Array): StringVector {
  return new DictionaryVector(type, codes.length, validity, entries, codes);
}

/** The same values under another type of the same layout (a relabeling cast, a column's declared type). */
export function withType(vector: Vector, type: DataType): Vector {
  if (vector.kind === 'string' && vector.dictionary !== undefined) {
    return dictionaryVector(type, vector.validity, vector.dictionary.entries, vector.dictionary.codes);
  }
  return { ...vector, type } as Vector;
}

/** The same values with other rows NULL. */
export function withValidity(vector: Vector, validity: Uint8Array | null): Vector {
  if (vector.kind === 'string' && vector.dictionary !== undefined) {
    return dictionaryVector(vector.type, validity, vector.dictionary.entries, vector.dictionary.codes);
  }
  return { ...vector, validity } as Vector;
}

export type Vector = FixedVector | StringVector;

export interface Batch {
  /** Physical row count of every vector. */
  readonly length: number;
  readonly columns: readonly Vector[];
  /** Live physical rows in ascending order, or null when every row is live. */
  readonly selection: Int32Array | null;
}

/** Live row count of a batch. */
export function batchRows(batch: Batch): number {
  return batch.selection ? batch.selection.length : batch.length;
}

export function allocateFixed(layout: Layout, length: number): FixedArray {
  switch (layout) {
    case 'bool':
      return new Uint8Array(length);
    case 'int16':
      return new Int16Array(length);
    case 'int32':
      return new Int32Array(length);
    case 'int64':
      return new BigInt64Array(length);
    case 'float32':
      return new Float32Array(length);
    case 'float64':
      return new Float64Array(length);
    case 'string':
      throw new Error('string layout has no fixed array');
  }
}

export function isNull(vector: Vector, row: number): boolean {
  return vector.validity !== null && vector.validity[row] === 0;
}

/** Reads one value as its JS form. For tests, constants and the wire; not for inner loops. */
export function getValue(vector: Vector, row: number): Value {
  if (vector.validity !== null && vector.validity[row] === 0) return null;
  if (vector.kind === 'string') return vector.values[row] as string;
  const v = vector.values[row] as number | bigint;
  if (vector.type.layout === 'bool') return v === 1;
  return v;
}

/** Builds a vector from JS values (constants, VALUES lists, tests). */
export function vectorFromValues(type: DataType, values: readonly Value[]): Vector {
  const length = values.length;
  let validity: Uint8Array | null = null;
  for (let i = 0; i < length; i++) {
    if (values[i] === null) {
      validity ??= new Uint8Array(length).fill(1);
      validity[i] = 0;
    }
  }
  if (type.layout === 'string') {
    const out: string[] = new Array<string>(length);
    for (let i = 0; i < length; i++) out[i] = values[i] === null ? '' : String(values[i]);
    return { kind: 'string', type, length, values: out, validity };
  }
  const array = allocateFixed(type.layout, length);
  for (let i = 0; i < length; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    if (array instanceof BigInt64Array) array[i] = typeof v === 'bigint' ? v : BigInt(v as number);
    else array[i] = typeof v === 'boolean' ? (v ? 1 : 0) : Number(v);
  }
  return { kind: 'fixed', type, length, values: array, validity };
}

/** A vector of `length` copies of one value (constants broadcast into a batch). */
export function constantVector(type: DataType, value: Value, length: number): Vector {
  if (value === null) {
    const validity = new Uint8Array(length);
    if (type.layout === 'string') {
      return { kind: 'string', type, length, values: new Array<string>(length).fill(''), validity };
    }
    return { kind: 'fixed', type, length, values: allocateFixed(type.layout, length), validity };
  }
  if (type.layout === 'string') {
    return { kind: 'string', type, length, values: new Array<string>(length).fill(String(value)), validity: null };
  }
  const array = allocateFixed(type.layout, length);
  if (array instanceof BigInt64Array) array.fill(typeof value === 'bigint' ? value : BigInt(value as number));
  else array.fill(typeof value === 'boolean' ? (value ? 1 : 0) : Number(value));
  return { kind: 'fixed', type, length, values: array, validity: null };
}

/** Gathers the rows listed in `rows` into a new dense vector. */
export function takeRows(vector: Vector, rows: Int32Array): Vector {
  const n = rows.length;
  let validity: Uint8Array | null = null;
  if (vector.validity !== null) {
    const src = vector.validity;
    const dst = new Uint8Array(n);
    let nulls = 0;
    for (let i = 0; i < n; i++) {
      const b = src[rows[i] as number] as number;
      dst[i] = b;
      nulls += b ^ 1;
    }
    if (nulls > 0) validity = dst;
  }
  if (vector.kind === 'string') {
    const dictionary = vector.dictionary;
    if (dictionary !== undefined) {
      const codes = new Int32Array(n);
      const srcCodes = dictionary.codes;
      for (let i = 0; i < n; i++) codes[i] = srcCodes[rows[i] as number] as number;
      return dictionaryVector(vector.type, validity, dictionary.entries, codes);
    }
    const src = vector.values;
    const out = new Array<string>(n);
    for (let i = 0; i < n; i++) out[i] = src[rows[i] as number] as string;
    return { kind: 'string', type: vector.type, length: n, values: out, validity };
  }
  const src = vector.values;
  const out = allocateFixed(vector.type.layout, n);
  if (out instanceof BigInt64Array) {
    const s = src as BigInt64Array;
    for (let i = 0; i < n; i++) out[i] = s[rows[i] as number] as bigint;
  } else {
    const s = src as Exclude<FixedArray, BigInt64Array>;
    const o = out as Exclude<FixedArray, BigInt64Array>;
    for (let i = 0; i < n; i++) o[i] = s[rows[i] as number] as number;
  }
  return { kind: 'fixed', type: vector.type, length: n, values: out, validity };
}

/** Rows [start, end) of a vector, sharing memory where the layout allows. */
export function sliceVector(vector: Vector, start: number, end: number): Vector {
  const length = end - start;
  const validity = vector.validity ? vector.validity.subarray(start, end) : null;
  if (vector.kind === 'string') {
    const dictionary = vector.dictionary;
    if (dictionary !== undefined) return dictionaryVector(vector.type, validity, dictionary.entries, dictionary.codes.subarray(start, end));
    return { kind: 'string', type: vector.type, length, values: vector.values.slice(start, end), validity };
  }
  return { kind: 'fixed', type: vector.type, length, values: vector.values.subarray(start, end), validity };
}

/** A batch with its selection applied, so every physical row is live. */
export function compactBatch(batch: Batch): Batch {
  const selection = batch.selection;
  if (selection === null) return batch;
  return { length: selection.length, columns: batch.columns.map((c) => takeRows(c, selection)), selection: null };
}

/** Rows [start, end) of the live rows of a batch. */
export function sliceBatch(batch: Batch, start: number, end: number): Batch {
  if (batch.selection !== null) {
    return { length: batch.length, columns: batch.columns, selection: batch.selection.subarray(start, end) };
  }
  return { length: end - start, columns: batch.columns.map((c) => sliceVector(c, start, end)), selection: null };
}

export function makeBatch(columns: readonly Vector[], length?: number): Batch {
  const n = length ?? columns[0]?.length ?? 0;
  for (const c of columns) assert(c.length === n, `vector length ${c.length} differs from batch length ${n}`);
  return { length: n, columns, selection: null };
}
