/**
 * Array kernels: ARRAY[...] construction, subscripts, and `x op ANY/ALL (array)`. Arrays are one
 * string per row (storage/array-value.ts); a run of rows holding the same array text (a constant
 * or a parameter such as drivers send for `= ANY($1)`) is decoded once, and `= ANY` over it
 * becomes one hash-set probe per row.
 */
import { decodeArray, encodeArray } from '../../storage/array-value.js';
import { assert } from '../../storage/errors.js';
import { elementType, type DataType, type Value } from '../../storage/types.js';
import { getValue, type Vector } from '../../storage/vector.js';
import { VectorBuilder } from '../../storage/vector-builder.js';
import type { QuantifiedComparison } from '../expr.js';
import { equalityKeyOf } from './equality-key.js';
import { valueOrder } from './compare.js';
import { boolVector } from './logic.js';

function elementOf(type: DataType): DataType {
  const element = elementType(type);
  assert(element !== null, `${type.name} is not an array type`);
  return element;
}

/** Decodes each row's array, reusing the previous row's elements when the text repeats. */
function arrayReader(vector: Vector): (row: number) => Value[] {
  const element = elementOf(vector.type);
  const texts = vector.values as readonly string[];
  let lastText: string | null = null;
  let last: Value[] = [];
  return (row) => {
    const text = texts[row] as string;
    if (text !== lastText) {
      lastText = text;
      last = decodeArray(text, element);
    }
    return last;
  };
}

export function makeArray(args: readonly Vector[], type: DataType, length: number): Vector {
  const element = elementOf(type);
  const out = new Array<string>(length);
  const values = new Array<Value>(args.length);
  for (let i = 0; i < length; i++) {
    for (let k = 0; k < args.length; k++) values[k] = getValue(args[k] as Vector, i);
    out[i] = encodeArray(values, element);
  }
  return { kind: 'string', type, length, values: out, validity: null };
}

export function arraySubscript(array: Vector, index: Vector, type: DataType, length: number): Vector {
  const read = arrayReader(array);
  const builder = new VectorBuilder(type, length);
  for (let i = 0; i < length; i++) {
    const valid = (array.validity === null || array.validity[i] === 1) && (index.validity === null || index.validity[i] === 1);
    const at = valid ? Number(getValue(index, i)) : 0;
    const elements = valid ? read(i) : [];
    builder.appendValue(at >= 1 && at <= elements.length ? (elements[at - 1] as Value) : null);
  }
  return builder.view();
}

function fromOrder(op: QuantifiedComparison, c: number): boolean {
  switch (op) {
    case 'eq':
      return c === 0;
    case 'ne':
      return c !== 0;
    case 'lt':
      return c < 0;
    case 'le':
      return c <= 0;
    case 'gt':
      return c > 0;
    case 'ge':
      return c >= 0;
  }
}

/** A value as a hash key, equal for values `=` calls equal (numeric 1.0 = 1, float -0 = 0). */
function hashKeyer(type: DataType): (v: Value) => unknown {
  const canonical = equalityKeyOf(type);
  if (canonical !== null) return (v) => canonical(v as string);
  if (type.id === 'bool') return (v) => v === true || v === 1;
  if (type.layout.startsWith('float')) return (v) => (v === 0 ? 0 : v);
  return (v) => v;
}

/**
 * ANY: true when some element satisfies `op`, else NULL when the test met a NULL, else false.
 * ALL: false when some element fails, else NULL when it met a NULL, else true. An empty array
 * gives false (ANY) or true (ALL) even for a NULL operand.
 */
export function arrayCompare(op: QuantifiedComparison, all: boolean, arg: Vector, array: Vector, length: number): Vector {
  const element = elementOf(array.type);
  const read = arrayReader(array);
  const order = valueOrder(element);
  const keyOf = hashKeyer(element);
  const out = new Uint8Array(length);
  const validity = new Uint8Array(length);
  let anyNull = false;
  let setFor: Value[] | null = null;
  let set: Set<unknown> | null = null;
  let setHasNull = false;
  for (let i = 0; i < length; i++) {
    if (array.validity !== null && array.validity[i] === 0) {
      anyNull = true;
      continue;
    }
    const elements = read(i);
    validity[i] = 1;
    if (elements.length === 0) {
      out[i] = all ? 1 : 0;
      continue;
    }
    if (arg.validity !== null && arg.validity[i] === 0) {
      validity[i] = 0;
      anyNull = true;
      continue;
    }
    const value = getValue(arg, i) as Value;
    if (op === 'eq' && !all) {
      if (setFor !== elements) {
        setFor = elements;
        set = new Set(elements.filter((e) => e !== null).map(keyOf));
        setHasNull = elements.includes(null);
      }
      if ((set as Set<unknown>).has(keyOf(value))) out[i] = 1;
      else if (setHasNull) validity[i] = 0;
      if (validity[i] === 0) anyNull = true;
      continue;
    }
    let sawNull = false;
    let decided = false;
    for (const e of elements) {
      if (e === null) {
        sawNull = true;
        continue;
      }
      const hit = fromOrder(op, order(toOrdered(value), toOrdered(e)));
      if (hit !== all) {
        decided = true;
        break;
      }
    }
    if (decided) out[i] = all ? 0 : 1;
    else if (sawNull) {
      validity[i] = 0;
      anyNull = true;
    } else out[i] = all ? 1 : 0;
  }
  return boolVector(out, anyNull ? validity : null);
}

function toOrdered(v: Value): number | bigint | string {
  return typeof v === 'boolean' ? Number(v) : (v as number | bigint | string);
}
