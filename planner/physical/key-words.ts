/**
 * Key columns as rows of int32 words, so hash tables compare and hash integers instead of
 * building strings: word 0 holds a bit per column that is NULL, then each column adds one word
 * (bool, int2, int4, date, float4, interned strings) or two (int8, float8, timestamps).
 * Values equal in PostgreSQL get equal words: -0 and 0, every NaN, numerics 1.0 and 1.00,
 * intervals '1 day' and '24 hours' (strings are interned by their equality key).
 */
import type { DataType } from '../../storage/types.js';
import type { StringVector, Vector } from '../../storage/vector.js';
import { equalityKeyOf } from '../kernels/equality-key.js';

/** Dense ids for distinct strings; shared by both sides of a join so equal strings meet. */
export class StringInterner {
  private readonly ids = new Map<string, number>();
  private lastEntries: readonly string[] | null = null;
  private lastIds: Int32Array = new Int32Array(0);
  private readonly keyOf: ((text: string) => string) | null;

  constructor(type: DataType) {
    this.keyOf = equalityKeyOf(type);
  }

  get size(): number {
    return this.ids.size;
  }

  id(text: string): number {
    const key = this.keyOf === null ? text : this.keyOf(text);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(key, id);
    }
    return id;
  }

  /** The id of every dictionary entry; one lookup per entry, cached for the blocks sharing it. */
  entryIds(entries: readonly string[]): Int32Array {
    if (entries === this.lastEntries) return this.lastIds;
    const out = new Int32Array(entries.length);
    for (let e = 0; e < entries.length; e++) out[e] = this.id(entries[e] as string);
    this.lastEntries = entries;
    this.lastIds = out;
    return out;
  }

  /** The id of each row's string (NULL rows get 0: their null bit tells them apart). */
  rowIds(vector: StringVector, n: number, out: Int32Array, at: number, stride: number): void {
    const validity = vector.validity;
    const dictionary = vector.dictionary;
    if (dictionary !== undefined) {
      const ids = this.entryIds(dictionary.entries);
      const codes = dictionary.codes;
      for (let i = 0, o = at; i < n; i++, o += stride) out[o] = ids[codes[i] as number] as number;
    } else {
      const values = vector.values;
      for (let i = 0, o = at; i < n; i++, o += stride) out[o] = validity !== null && validity[i] === 0 ? 0 : this.id(values[i] as string);
    }
    if (validity !== null) for (let i = 0, o = at; i < n; i++, o += stride) out[o] = (out[o] as number) & -(validity[i] as number);
  }
}

/** Words one column of `type` takes. */
export function columnWords(type: DataType): number {
  return type.layout === 'int64' || type.layout === 'float64' ? 2 : 1;
}

const scratch64 = new Float64Array(1);
const scratch64Words = new Int32Array(scratch64.buffer);
const scratch32 = new Float32Array(1);
const scratch32Word = new Int32Array(scratch32.buffer);

export class KeyEncoder {
  /** Words per row, the null word included. */
  readonly width: number;
  private readonly offsets: number[] = [];
  private readonly interners: (StringInterner | null)[];

  constructor(readonly types: readonly DataType[]) {
    let width = 1;
    for (const t of types) {
      this.offsets.push(width);
      width += columnWords(t);
    }
    this.width = width;
    this.interners = types.map((t) => (t.layout === 'string' ? new StringInterner(t) : null));
  }

  /** `n * width` words: row i's key is words [i * width, (i + 1) * width). */
  encode(columns: readonly Vector[], n: number): Int32Array {
    const width = this.width;
    const out = new Int32Array(n * width);
    for (let k = 0; k < columns.length; k++) {
      const column = columns[k] as Vector;
      const at = this.offsets[k] as number;
      if (column.kind === 'string') (this.interners[k] as StringInterner).rowIds(column, n, out, at, width);
      else encodeFixed(column.values, column.type.layout, n, out, at, width);
      const validity = column.validity;
      if (validity === null) continue;
      const bit = 1 << k;
      const twoWords = columnWords(column.type) === 2;
      for (let i = 0, o = at; i < n; i++, o += width) {
        if (validity[i] === 0) {
          out[i * width] = (out[i * width] as number) | bit;
          out[o] = 0;
          if (twoWords) out[o + 1] = 0;
        }
      }
    }
    return out;
  }
}

function encodeFixed(values: Vector['values'], layout: DataType['layout'], n: number, out: Int32Array, at: number, stride: number): void {
  if (values instanceof BigInt64Array) {
    const words = new Int32Array(values.buffer, values.byteOffset, n * 2);
    for (let i = 0, o = at; i < n; i++, o += stride) {
      out[o] = words[2 * i] as number;
      out[o + 1] = words[2 * i + 1] as number;
    }
  } else if (values instanceof Float64Array) {
    for (let i = 0, o = at; i < n; i++, o += stride) {
      const v = values[i] as number;
      // 0 === -0, and every NaN is one value in PostgreSQL's ordering.
      scratch64[0] = v === 0 ? 0 : v === v ? v : Number.NaN;
      out[o] = scratch64Words[0] as number;
      out[o + 1] = scratch64Words[1] as number;
    }
  } else if (values instanceof Float32Array) {
    for (let i = 0, o = at; i < n; i++, o += stride) {
      const v = values[i] as number;
      scratch32[0] = v === 0 ? 0 : v === v ? v : Number.NaN;
      out[o] = scratch32Word[0] as number;
    }
  } else if (layout !== 'string') {
    const ints = values as Int32Array | Int16Array | Uint8Array;
    for (let i = 0, o = at; i < n; i++, o += stride) out[o] = ints[i] as number;
  }
}
