/**
 * Arithmetic kernels with PostgreSQL's semantics: integer results checked for overflow (22003),
 * integer division truncating toward zero, division by zero as 22012, float overflow as 22003,
 * numeric exact. NULL rows are skipped for every check, since their slots hold no value.
 */
import { DbError, divisionByZero, numericOutOfRange } from '../../storage/errors.js';
import { numericAbs, numericAdd, numericDiv, numericMod, numericMul, numericNegate, numericSub } from '../../storage/numeric.js';
import type { DataType } from '../../storage/types.js';
import { allocateFixed, type Vector } from '../../storage/vector.js';
import type { ScalarFunction } from '../expr.js';
import { andValidity } from './validity.js';

export type Arithmetic = Extract<ScalarFunction, 'add' | 'sub' | 'mul' | 'div' | 'mod'>;

const intRange: Record<string, [number, number, string]> = {
  int2: [-32768, 32767, 'smallint'],
  int4: [-2147483648, 2147483647, 'integer'],
  date: [-2147483648, 2147483647, 'date'],
};
const int8Min = -(2n ** 63n);
const int8Max = 2n ** 63n - 1n;

function floatOverflow(): DbError {
  return new DbError('22003', 'value out of range: overflow');
}
function floatUnderflow(): DbError {
  return new DbError('22003', 'value out of range: underflow');
}

export function arithmetic(fn: Arithmetic, left: Vector, right: Vector, type: DataType, length: number): Vector {
  const validity = andValidity(left.validity, right.validity, length);
  const valid = (i: number) => validity === null || validity[i] === 1;
  if (type.id === 'numeric') {
    const a = left.values as readonly string[];
    const b = right.values as readonly string[];
    const op = fn === 'add' ? numericAdd : fn === 'sub' ? numericSub : fn === 'mul' ? numericMul : fn === 'div' ? numericDiv : numericMod;
    const out = new Array<string>(length);
    for (let i = 0; i < length; i++) out[i] = valid(i) ? op(a[i] as string, b[i] as string) : '';
    return { kind: 'string', type, length, values: out, validity };
  }
  const out = allocateFixed(type.layout, length);
  if (out instanceof BigInt64Array) {
    const a = left.values as BigInt64Array;
    const b = right.values as BigInt64Array;
    for (let i = 0; i < length; i++) {
      if (!valid(i)) continue;
      const x = a[i] as bigint;
      const y = b[i] as bigint;
      let r: bigint;
      if (fn === 'add') r = x + y;
      else if (fn === 'sub') r = x - y;
      else if (fn === 'mul') r = x * y;
      else {
        if (y === 0n) throw divisionByZero();
        if (fn === 'div') r = x / y;
        else r = y === -1n ? 0n : x % y;
      }
      if (r < int8Min || r > int8Max) throw numericOutOfRange('bigint');
      out[i] = r;
    }
    return { kind: 'fixed', type, length, values: out, validity };
  }
  const a = left.values as Exclude<typeof out, BigInt64Array>;
  const b = right.values as Exclude<typeof out, BigInt64Array>;
  const o = out as Exclude<typeof out, BigInt64Array>;
  const isFloat = type.id === 'float4' || type.id === 'float8';
  if (isFloat) {
    const round = type.id === 'float4' ? Math.fround : (x: number) => x;
    for (let i = 0; i < length; i++) {
      if (!valid(i)) continue;
      const x = a[i] as number;
      const y = b[i] as number;
      let r: number;
      if (fn === 'add') r = x + y;
      else if (fn === 'sub') r = x - y;
      else if (fn === 'mul') r = x * y;
      else {
        if (y === 0) throw divisionByZero();
        r = x / y;
      }
      r = round(r);
      if (!Number.isFinite(r) && Number.isFinite(x) && Number.isFinite(y)) throw floatOverflow();
      if (r === 0 && x !== 0 && (fn === 'mul' ? y !== 0 : fn === 'div' && Number.isFinite(y))) throw floatUnderflow();
      o[i] = r;
    }
    return { kind: 'fixed', type, length, values: out, validity };
  }
  const [min, max, name] = intRange[type.id] ?? intRange.int4!;
  for (let i = 0; i < length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    let r: number;
    if (fn === 'add') r = x + y;
    else if (fn === 'sub') r = x - y;
    else if (fn === 'mul') r = x * y;
    else if (fn === 'div') {
      if (y === 0) {
        if (valid(i)) throw divisionByZero();
        continue;
      }
      r = Math.trunc(x / y);
    } else {
      if (y === 0) {
        if (valid(i)) throw divisionByZero();
        continue;
      }
      r = y === -1 ? 0 : x % y;
    }
    if ((r < min || r > max) && valid(i)) throw numericOutOfRange(name);
    o[i] = r;
  }
  // -0 from `0 % -3` or trunc of a negative fraction is +0 in an integer array already.
  return { kind: 'fixed', type, length, values: out, validity };
}

export function negate(operand: Vector, length: number): Vector {
  const type = operand.type;
  const validity = operand.validity;
  if (operand.kind === 'string') {
    const out = operand.values.map((v, i) => (validity === null || validity[i] === 1 ? numericNegate(v) : ''));
    return { kind: 'string', type, length, values: out, validity };
  }
  const out = allocateFixed(type.layout, length);
  if (out instanceof BigInt64Array) {
    const a = operand.values as BigInt64Array;
    for (let i = 0; i < length; i++) {
      const v = a[i] as bigint;
      if (v === int8Min && (validity === null || validity[i] === 1)) throw numericOutOfRange('bigint');
      out[i] = -v;
    }
  } else {
    const a = operand.values as Float64Array;
    const o = out as Float64Array;
    const range = intRange[type.id];
    for (let i = 0; i < length; i++) {
      const v = -(a[i] as number);
      if (range !== undefined && v > range[1] && (validity === null || validity[i] === 1)) throw numericOutOfRange(range[2]);
      o[i] = v;
    }
  }
  return { kind: 'fixed', type, length, values: out, validity };
}

export function absolute(operand: Vector, length: number): Vector {
  if (operand.kind === 'string') {
    const validity = operand.validity;
    const out = operand.values.map((v, i) => (validity === null || validity[i] === 1 ? numericAbs(v) : ''));
    return { kind: 'string', type: operand.type, length, values: out, validity };
  }
  const negated = negate(operand, length);
  const out = allocateFixed(operand.type.layout, length);
  const a = operand.values as Float64Array;
  const n = negated.values as Float64Array;
  for (let i = 0; i < length; i++) (out as Float64Array)[i] = (a[i] as number) < 0 ? (n[i] as number) : (a[i] as number);
  return { kind: 'fixed', type: operand.type, length, values: out, validity: operand.validity };
}

/** date + int4, date - int4 (days) and date - date (int4 days). */
export function dateArithmetic(fn: 'add' | 'sub', left: Vector, right: Vector, type: DataType, length: number): Vector {
  const validity = andValidity(left.validity, right.validity, length);
  const a = left.values as Int32Array;
  const b = right.values as Int32Array;
  const out = new Int32Array(length);
  for (let i = 0; i < length; i++) {
    const r = fn === 'add' ? (a[i] as number) + (b[i] as number) : (a[i] as number) - (b[i] as number);
    if ((r < -2147483648 || r > 2147483647) && (validity === null || validity[i] === 1)) {
      throw numericOutOfRange(type.id === 'date' ? 'date' : 'integer');
    }
    out[i] = r;
  }
  return { kind: 'fixed', type, length, values: out, validity };
}
