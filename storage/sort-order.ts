/**
 * The order storage uses for sort keys and zone maps, per type, following PostgreSQL:
 *   numbers, dates, timestamps numerically, float NaN above every other value, -0 equal to 0;
 *   int8 exactly (compared as 32-bit words, no BigInt per row);
 *   text and varchar by Unicode code point, which is PostgreSQL's "C" collation (UTF-8 bytes);
 *   numeric by decimal value ('NaN' above 'Infinity');
 *   jsonb and arrays have no zone-map order (sort keys on it use code point order only to cluster rows).
 * NULLs sort after every value. Callers passing ColumnRange bounds on text must mean this order.
 */
import { compareDecimalText } from './decimal-text-order.js';
import type { DataType } from './types.js';
import type { Vector } from './vector.js';

export type OrderKind = 'number' | 'bigint' | 'text' | 'decimal' | 'unordered';

export function orderKind(type: DataType): OrderKind {
  if (type.id === 'numeric') return 'decimal';
  if (type.id === 'jsonb' || type.id.startsWith('_')) return 'unordered';
  switch (type.layout) {
    case 'string':
      return 'text';
    case 'int64':
      return 'bigint';
    default:
      return 'number';
  }
}

/** Compares numbers with NaN greatest and -0 equal to 0. */
export function compareNumbers(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return 0;
  const aNaN = Number.isNaN(a);
  return aNaN === Number.isNaN(b) ? 0 : aNaN ? 1 : -1;
}

/** Compares strings by code point (UTF-16 order differs only between surrogates and U+E000..U+FFFF). */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      // Surrogates (0xD800..0xDFFF) encode code points above 0xFFFF: move them above 0xFFFF.
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

export function compareBigints(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compares two values of the same order kind in their stored JS form. */
export function compareByKind(kind: OrderKind, a: number | bigint | string, b: number | bigint | string): number {
  switch (kind) {
    case 'number':
      return compareNumbers(a as number, b as number);
    case 'bigint':
      return compareBigints(a as bigint, b as bigint);
    case 'text':
    case 'unordered':
      return compareCodePoints(a as string, b as string);
    case 'decimal':
      return compareDecimalText(a as string, b as string);
  }
}

export type RowComparator = (i: number, j: number) => number;

/** Row comparator over one vector, NULLs last. */
function columnComparator(vector: Vector): RowComparator {
  const validity = vector.validity;
  let compare: RowComparator;
  if (vector.kind === 'string') {
    const values = vector.values;
    const decimal = vector.type.id === 'numeric';
    compare = decimal
      ? (i, j) => compareDecimalText(values[i] as string, values[j] as string)
      : (i, j) => compareCodePoints(values[i] as string, values[j] as string);
  } else if (vector.values instanceof BigInt64Array) {
    const v = vector.values;
    const words = new Int32Array(v.buffer, v.byteOffset, v.length * 2);
    compare = (i, j) => {
      const hi = (words[2 * i + 1] as number) - (words[2 * j + 1] as number);
      if (hi !== 0) return hi;
      return ((words[2 * i] as number) >>> 0) - ((words[2 * j] as number) >>> 0);
    };
  } else {
    const values = vector.values;
    const float = vector.type.layout === 'float32' || vector.type.layout === 'float64';
    compare = float
      ? (i, j) => compareNumbers(values[i] as number, values[j] as number)
      : (i, j) => (values[i] as number) - (values[j] as number);
  }
  if (validity === null) return compare;
  return (i, j) => {
    const a = validity[i] as number;
    const b = validity[j] as number;
    if ((a & b) === 1) return compare(i, j);
    return b - a; // NULL (0) after value (1)
  };
}

/** Compares rows by the key columns, NULLs last in each; null when there are no keys. */
export function rowComparator(vectors: readonly Vector[], keys: readonly number[]): RowComparator | null {
  if (keys.length === 0) return null;
  const comparators = keys.map((k) => columnComparator(vectors[k]!));
  if (comparators.length === 1) return comparators[0]!;
  return (i, j) => {
    for (const c of comparators) {
      const r = c(i, j);
      if (r !== 0) return r;
    }
    return 0;
  };
}
