/**
 * Comparison kernels: both operands already cast to one type (the binder guarantees it), so the
 * layout is chosen once per vector. Floats follow PostgreSQL: NaN equals NaN and sorts above every
 * other value. Text compares by code unit (the C collation).
 */
import { decodeArray } from '../../storage/array-value.js';
import { compareJsonb } from '../../storage/jsonb-value.js';
import { compareIntervals } from '../../storage/interval.js';
import { numericCompare } from '../../storage/numeric.js';
import { elementType, type DataType, type Value } from '../../storage/types.js';
import type { Vector } from '../../storage/vector.js';
import type { ScalarFunction } from '../expr.js';
import { andValidity } from './validity.js';

export type Comparison = Extract<ScalarFunction, 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge'>;

/** Three-way comparison of two non-null values of one type (for sort and min/max). */
export function compareValues(a: number | bigint | string, b: number | bigint | string, numericText: boolean): number {
  if (numericText) return numericCompare(a as string, b as string);
  if (typeof a === 'number' && (a !== a || (b as number) !== (b as number))) {
    const an = a !== a;
    const bn = (b as number) !== (b as number);
    return an && bn ? 0 : an ? 1 : -1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

type Order = (a: number | bigint | string, b: number | bigint | string) => number;

const plainOrder: Order = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
const floatOrder: Order = (a, b) => compareValues(a, b, false);

/**
 * The three-way order of two non-null values of `type`: numeric by value, jsonb by PostgreSQL's
 * jsonb order, arrays element by element (a NULL element above any value, then the shorter array
 * first), floats with NaN last, everything else by value (text by code unit).
 */
export function valueOrder(type: DataType): Order {
  if (type.id === 'numeric') return numericCompare as Order;
  if (type.id === 'jsonb') return compareJsonb as Order;
  if (type.id === 'interval') return compareIntervals as Order;
  if (type.id === 'float4' || type.id === 'float8') return floatOrder;
  const element = elementType(type);
  if (element === null) return plainOrder;
  const inner = valueOrder(element);
  return (a, b) => compareArrays(decodeArray(a as string, element), decodeArray(b as string, element), inner);
}

function compareArrays(a: readonly Value[], b: readonly Value[], order: Order): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] as Value;
    const y = b[i] as Value;
    if (x === null || y === null) {
      if (x === y) continue;
      return x === null ? 1 : -1;
    }
    const c = order(typeof x === 'boolean' ? Number(x) : x, typeof y === 'boolean' ? Number(y) : y);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

function fromOrder(op: Comparison, c: number): number {
  switch (op) {
    case 'eq':
      return c === 0 ? 1 : 0;
    case 'ne':
      return c !== 0 ? 1 : 0;
    case 'lt':
      return c < 0 ? 1 : 0;
    case 'le':
      return c <= 0 ? 1 : 0;
    case 'gt':
      return c > 0 ? 1 : 0;
    case 'ge':
      return c >= 0 ? 1 : 0;
  }
}

/** Compares two vectors of equal length and type; returns a bool vector's values and validity. */
export function compareVectors(op: Comparison, left: Vector, right: Vector, length: number): { values: Uint8Array; validity: Uint8Array | null } {
  const out = new Uint8Array(length);
  const validity = andValidity(left.validity, right.validity, length);
  if (left.kind === 'fixed' && right.kind === 'fixed') {
    const a = left.values;
    const b = right.values;
    const isFloat = left.type.id === 'float4' || left.type.id === 'float8';
    if (isFloat) {
      for (let i = 0; i < length; i++) out[i] = fromOrder(op, compareValues(a[i] as number, b[i] as number, false));
      return { values: out, validity };
    }
    // Branch-free loops per operator over the typed arrays (ints, bigints, dates, timestamps).
    switch (op) {
      case 'eq':
        for (let i = 0; i < length; i++) out[i] = +(a[i] === b[i]);
        break;
      case 'ne':
        for (let i = 0; i < length; i++) out[i] = +(a[i] !== b[i]);
        break;
      case 'lt':
        for (let i = 0; i < length; i++) out[i] = +((a[i] as number) < (b[i] as number));
        break;
      case 'le':
        for (let i = 0; i < length; i++) out[i] = +((a[i] as number) <= (b[i] as number));
        break;
      case 'gt':
        for (let i = 0; i < length; i++) out[i] = +((a[i] as number) > (b[i] as number));
        break;
      case 'ge':
        for (let i = 0; i < length; i++) out[i] = +((a[i] as number) >= (b[i] as number));
        break;
    }
    return { values: out, validity };
  }
  const a = left.values as readonly (string | number | bigint)[];
  const b = right.values as readonly (string | number | bigint)[];
  const order = valueOrder(left.type);
  for (let i = 0; i < length; i++) {
    if (validity !== null && validity[i] === 0) continue;
    out[i] = fromOrder(op, order(a[i] as string, b[i] as string));
  }
  return { values: out, validity };
}

/** Compares a vector with one non-null constant (the common `col op literal` shape). */
export function compareWithConstant(op: Comparison, left: Vector, constant: number | bigint | string, length: number): Uint8Array {
  const out = new Uint8Array(length);
  if (left.kind === 'fixed' && typeof constant !== 'string' && left.type.id !== 'float4' && left.type.id !== 'float8') {
    const a = left.values;
    const k = constant as number;
    switch (op) {
      case 'eq':
        for (let i = 0; i < length; i++) out[i] = +(a[i] === k);
        break;
      case 'ne':
        for (let i = 0; i < length; i++) out[i] = +(a[i] !== k);
        break;
      case 'lt':
        for (let i = 0; i < length; i++) out[i] = +((a[i] as number) < k);
        break;
      case 'le':
        for (let i = 0; i < length; i++) out[i] = +((a[i] as number) <= k);
        break;
      case 'gt':
        for (let i = 0; i < length; i++) out[i] = +((a[i] as number) > k);
        break;
      case 'ge':
        for (let i = 0; i < length; i++) out[i] = +((a[i] as number) >= k);
        break;
    }
    return out;
  }
  const order = valueOrder(left.type);
  const a = left.values as ArrayLike<string | number | bigint>;
  const validity = left.validity;
  if (left.type.id === 'interval') {
    for (let i = 0; i < length; i++) out[i] = fromOrder(op, compareIntervals(a[i] as string, constant as string));
    return out;
  }
  for (let i = 0; i < length; i++) {
    // NULL slots hold no value (an empty string is not a numeric); their result is masked anyway.
    if (validity !== null && validity[i] === 0) continue;
    out[i] = fromOrder(op, order(a[i] as string, constant as string));
  }
  return out;
}

/** The comparison with operands swapped (`5 < col` is `col > 5`). */
export function flipComparison(op: Comparison): Comparison {
  switch (op) {
    case 'lt':
      return 'gt';
    case 'le':
      return 'ge';
    case 'gt':
      return 'lt';
    case 'ge':
      return 'le';
    default:
      return op;
  }
}
