/**
 * var_samp, var_pop, stddev_samp, stddev_pop (variance = var_samp, stddev = stddev_samp).
 *
 * Over float4/float8 the state is PostgreSQL's float8_accum (Youngs-Cramer: N, Sx, Sxx updated
 * per row), so the float results match its rounding. Over integers and numeric the state is
 * exact (N, sum x, sum x^2) and the result is numeric_stddev_internal's:
 * (N * sum x^2 - (sum x)^2) / (N * (N - 1)) (or N * N) with numeric division's result scale, and
 * the square root rounded to that same scale.
 */
import { DbError } from '../../storage/errors.js';
import { divideDecimal, divisionScale } from '../../storage/numeric-arithmetic.js';
import { decimalFromCanonical, finite, formatDecimal, integerSqrt, pow10, Special } from '../../storage/numeric-decimal.js';
import type { DataType } from '../../storage/types.js';
import type { Vector } from '../../storage/vector.js';
import { VectorBuilder } from '../../storage/vector-builder.js';
import type { AggregateCall } from '../expr.js';
import { grow, live, type AggregateState } from './aggregate-state.js';

type VarianceKind = 'var_samp' | 'var_pop' | 'stddev_samp' | 'stddev_pop';

export function createVarianceState(call: AggregateCall): AggregateState {
  const kind = call.fn as VarianceKind;
  const argType = call.arg?.type.id;
  if (argType === 'float4' || argType === 'float8') return new FloatVarianceState(call.type, kind);
  if (argType === 'int2' || argType === 'int4') return new SmallIntegerVarianceState(call.type, kind);
  return new ExactVarianceState(call.type, kind);
}

const isSample = (kind: VarianceKind) => kind === 'var_samp' || kind === 'stddev_samp';
const isStddev = (kind: VarianceKind) => kind === 'stddev_samp' || kind === 'stddev_pop';

function maxGroup(groups: Int32Array, length: number): number {
  let max = 0;
  for (let i = 0; i < length; i++) if ((groups[i] as number) > max) max = groups[i] as number;
  return max;
}

/** float8_accum's state and float8_var_samp/pop, float8_stddev_samp/pop. */
class FloatVarianceState implements AggregateState {
  private n = new Float64Array(64);
  private sx = new Float64Array(64);
  private sxx = new Float64Array(64);
  constructor(readonly type: DataType, readonly kind: VarianceKind) {}
  update(groups: Int32Array, length: number, arg: Vector | null, mask: Uint8Array | null): void {
    const values = (arg as Vector).values as Float64Array | Float32Array;
    const size = maxGroup(groups, length) + 1;
    const make = (k: number) => new Float64Array(k);
    const n = (this.n = grow(this.n, size, make));
    const sx = (this.sx = grow(this.sx, size, make));
    const sxx = (this.sxx = grow(this.sxx, size, make));
    for (let i = 0; i < length; i++) {
      if (!live(arg, mask, i)) continue;
      const g = groups[i] as number;
      const x = values[i] as number;
      const before = n[g] as number;
      const count = before + 1;
      const oldSx = sx[g] as number;
      const newSx = oldSx + x;
      if (before > 0) {
        const tmp = x * count - newSx;
        let newSxx = (sxx[g] as number) + (tmp * tmp) / (count * before);
        if (Math.abs(newSx) === Infinity || Math.abs(newSxx) === Infinity) {
          if (Math.abs(oldSx) !== Infinity && Math.abs(x) !== Infinity) throw new DbError('22003', 'value out of range: overflow');
          newSxx = NaN;
        }
        sxx[g] = newSxx;
      } else if (!Number.isFinite(x)) {
        sxx[g] = NaN;
      }
      n[g] = count;
      sx[g] = newSx;
    }
  }
  finish(groupCount: number): Vector {
    const builder = new VectorBuilder(this.type, groupCount);
    const sample = isSample(this.kind);
    for (let g = 0; g < groupCount; g++) {
      const count = this.n[g] ?? 0;
      if (count === 0 || (sample && count <= 1)) {
        builder.appendValue(null);
        continue;
      }
      const variance = (this.sxx[g] as number) / (sample ? count - 1 : count);
      builder.appendValue(isStddev(this.kind) ? Math.sqrt(variance) : variance);
    }
    return builder.view();
  }
}

/** The exact result from N, sum x and sum x^2 (both at `scale` and 2 * `scale` decimals). */
function exactResult(kind: VarianceKind, count: number, sumX: bigint, sumX2: bigint, scale: number, special: boolean): string | null {
  const sample = isSample(kind);
  if (count === 0 || (sample && count <= 1)) return null;
  if (special) return 'NaN';
  const n = BigInt(count);
  const numerator = n * sumX2 - sumX * sumX;
  // Round-off cannot make it negative here, but PostgreSQL's guard also answers a plain 0.
  if (numerator <= 0n) return '0';
  const dividend = finite(numerator, 2 * scale);
  const divisor = finite(sample ? n * (n - 1n) : n * n, 0);
  const resultScale = divisionScale(dividend, divisor);
  const variance = divideDecimal(dividend, divisor);
  if (!isStddev(kind)) return formatDecimal(variance);
  return formatDecimal(finite(sqrtAtScale(variance.value, variance.scale, resultScale), resultScale));
}

/** sqrt(value / 10^scale) at `resultScale` decimals, rounded half up (as sqrt_var). */
function sqrtAtScale(value: bigint, scale: number, resultScale: number): bigint {
  // floor(sqrt(v) * 10^(resultScale + 1)) = isqrt(value * 10^(2 * resultScale + 2 - scale)).
  const shift = 2 * resultScale + 2 - scale;
  const root = integerSqrt(shift >= 0 ? value * pow10(shift) : value / pow10(-shift));
  return root / 10n + (root % 10n >= 5n ? 1n : 0n);
}


/** int2/int4: x and x^2 add into float64 while exact, spilling into bigints before 2^53. */
class SmallIntegerVarianceState implements AggregateState {
  private n = new Float64Array(64);
  private sx = new Float64Array(64);
  private sxx = new Float64Array(64);
  private readonly bigSx: (bigint | undefined)[] = [];
  private readonly bigSxx: (bigint | undefined)[] = [];
  constructor(readonly type: DataType, readonly kind: VarianceKind) {}
  update(groups: Int32Array, length: number, arg: Vector | null, mask: Uint8Array | null): void {
    const values = (arg as Vector).values as Int32Array | Int16Array;
    const size = maxGroup(groups, length) + 1;
    const make = (k: number) => new Float64Array(k);
    const n = (this.n = grow(this.n, size, make));
    const sx = (this.sx = grow(this.sx, size, make));
    const sxx = (this.sxx = grow(this.sxx, size, make));
    const limit = 2 ** 52;
    for (let i = 0; i < length; i++) {
      if (!live(arg, mask, i)) continue;
      const g = groups[i] as number;
      const x = values[i] as number;
      n[g] = (n[g] as number) + 1;
      const s = (sx[g] as number) + x;
      if (s > limit || s < -limit) {
        this.bigSx[g] = (this.bigSx[g] ?? 0n) + BigInt(s);
        sx[g] = 0;
      } else sx[g] = s;
      const square = x * x;
      if (square >= limit) {
        this.bigSxx[g] = (this.bigSxx[g] ?? 0n) + BigInt(x) * BigInt(x);
        continue;
      }
      const q = (sxx[g] as number) + square;
      if (q >= limit) {
        this.bigSxx[g] = (this.bigSxx[g] ?? 0n) + BigInt(q);
        sxx[g] = 0;
      } else sxx[g] = q;
    }
  }
  finish(groupCount: number): Vector {
    const builder = new VectorBuilder(this.type, groupCount);
    for (let g = 0; g < groupCount; g++) {
      const sumX = (this.bigSx[g] ?? 0n) + BigInt(this.sx[g] ?? 0);
      const sumX2 = (this.bigSxx[g] ?? 0n) + BigInt(this.sxx[g] ?? 0);
      builder.appendValue(exactResult(this.kind, this.n[g] ?? 0, sumX, sumX2, 0, false));
    }
    return builder.view();
  }
}

interface ExactGroup {
  count: number;
  sumX: bigint;
  sumX2: bigint;
  scale: number;
  special: boolean;
}

/** int8 and numeric: exact decimal sums per group. */
class ExactVarianceState implements AggregateState {
  private readonly groups: (ExactGroup | undefined)[] = [];
  constructor(readonly type: DataType, readonly kind: VarianceKind) {}
  update(groups: Int32Array, length: number, arg: Vector | null, mask: Uint8Array | null): void {
    const vector = arg as Vector;
    const values = vector.values;
    const isBig = values instanceof BigInt64Array;
    for (let i = 0; i < length; i++) {
      if (!live(vector, mask, i)) continue;
      const g = groups[i] as number;
      let state = this.groups[g];
      if (state === undefined) this.groups[g] = state = { count: 0, sumX: 0n, sumX2: 0n, scale: 0, special: false };
      state.count++;
      let value: bigint;
      let scale = 0;
      if (isBig) value = values[i] as bigint;
      else {
        const decimal = decimalFromCanonical(values[i] as string);
        if (decimal.special !== Special.Finite) {
          state.special = true;
          continue;
        }
        value = decimal.value;
        scale = decimal.scale;
      }
      if (scale > state.scale) {
        state.sumX *= pow10(scale - state.scale);
        state.sumX2 *= pow10(2 * (scale - state.scale));
        state.scale = scale;
      } else if (scale < state.scale) {
        value *= pow10(state.scale - scale);
      }
      state.sumX += value;
      state.sumX2 += value * value;
    }
  }
  finish(groupCount: number): Vector {
    const builder = new VectorBuilder(this.type, groupCount);
    for (let g = 0; g < groupCount; g++) {
      const s = this.groups[g];
      builder.appendValue(s === undefined ? null : exactResult(this.kind, s.count, s.sumX, s.sumX2, s.scale, s.special));
    }
    return builder.view();
  }
}
