/**
 * Per-group aggregate states over typed arrays, one class per (function, argument layout). Each
 * `update` runs one loop over a batch with the group id of every row; `finish` builds the output
 * vector with PostgreSQL's result type. Integer sums stay exact: rows add into float64 (exact to
 * 2^53), and a group whose sum grows past 2^52 moves into a bigint.
 */
import { DbError } from '../../storage/errors.js';
import { numericCompare, NumericAccumulator } from '../../storage/numeric.js';
import { decimalFromCanonical } from '../../storage/numeric-decimal.js';
import type { NumericAccumulatorState } from '../../storage/numeric-accumulator.js';
import type { DataType } from '../../storage/types.js';
import type { Vector } from '../../storage/vector.js';
import { VectorBuilder } from '../../storage/vector-builder.js';
import type { AggregateCall } from '../expr.js';
import { compareIntervals } from '../../storage/interval.js';
import { compareValues } from '../kernels/compare.js';
import { ArrayAggState } from './array-agg-state.js';
import { grow, groupsNeeded, live, liveRows, maxGroup, type AggregateState, type PartialState } from './aggregate-state.js';
import { createOrderedState, SortedInputState } from './aggregate-ordered.js';
import { createVarianceState } from './aggregate-variance.js';
import { IntervalSumState } from './interval-aggregate-state.js';

class CountState implements AggregateState {
  private counts = new Float64Array(64);
  update(groups: Int32Array, length: number, arg: Vector | null, mask: Uint8Array | null): void {
    this.counts = grow(this.counts, maxGroup(groups, length) + 1, (n) => new Float64Array(n));
    const counts = this.counts;
    const rows = liveRows(arg, mask, length);
    if (rows === null) for (let i = 0; i < length; i++) counts[groups[i] as number]!++;
    // Branch-free: a dead row adds 0.
    else for (let i = 0; i < length; i++) counts[groups[i] as number]! += rows[i] as number;
  }
  updateSingle(length: number, arg: Vector | null, mask: Uint8Array | null): void {
    const rows = liveRows(arg, mask, length);
    let count = length;
    if (rows !== null) {
      count = 0;
      for (let i = 0; i < length; i++) count += rows[i] as number;
    }
    this.counts[0]! += count;
  }
  finish(groupCount: number): Vector {
    const out = new BigInt64Array(groupCount);
    for (let g = 0; g < groupCount; g++) out[g] = BigInt(this.counts[g] ?? 0);
    return { kind: 'fixed', type: this.type, length: groupCount, values: out, validity: null };
  }
  partial(groupCount: number): PartialState {
    return { arrays: [prefix(this.counts, groupCount)], values: [] };
  }
  merge(partial: PartialState, groups: Int32Array): void {
    this.counts = grow(this.counts, groupsNeeded(groups, groups.length), (n) => new Float64Array(n));
    addInto(this.counts, partial.arrays[0] as Float64Array, groups);
  }
  constructor(readonly type: DataType) {}
}

const safeSum = 2 ** 52;

/** sum/avg over int2/int4 (and the int8 counts of avg): float64 partials spilling into bigint. */
class IntegerSumState implements AggregateState {
  private sums = new Float64Array(64);
  private counts = new Float64Array(64);
  private readonly big: (bigint | undefined)[] = [];
  constructor(readonly type: DataType, readonly average: boolean) {}
  update(groups: Int32Array, length: number, arg: Vector | null, mask: Uint8Array | null): void {
    const values = (arg as Vector).values as Int32Array;
    const max = maxGroup(groups, length);
    this.sums = grow(this.sums, max + 1, (n) => new Float64Array(n));
    this.counts = grow(this.counts, max + 1, (n) => new Float64Array(n));
    const sums = this.sums;
    const counts = this.counts;
    const rows = liveRows(arg, mask, length);
    if (rows === null) {
      for (let i = 0; i < length; i++) {
        const g = groups[i] as number;
        sums[g]! += values[i] as number;
        counts[g]!++;
      }
    } else {
      // Branch-free: a dead row adds 0 (its value slot may hold anything).
      for (let i = 0; i < length; i++) {
        const g = groups[i] as number;
        const live = rows[i] as number;
        sums[g]! += (values[i] as number) * live;
        counts[g]! += live;
      }
    }
    // One batch adds at most 65,536 * 2^31 = 2^47 per group, so checking once per batch keeps
    // every float64 sum exact.
    for (let g = 0; g <= max; g++) {
      const s = sums[g] as number;
      if (s > safeSum || s < -safeSum) {
        this.big[g] = (this.big[g] ?? 0n) + BigInt(s);
        sums[g] = 0;
      }
    }
  }
  updateSingle(length: number, arg: Vector | null, mask: Uint8Array | null): void {
    const values = (arg as Vector).values as Int32Array;
    const rows = liveRows(arg, mask, length);
    // Two accumulators break the add chain; a batch adds at most 2^47, exact in float64.
    let a = 0;
    let b = 0;
    let count = length;
    if (rows === null) {
      let i = 0;
      for (; i + 1 < length; i += 2) {
        a += values[i] as number;
        b += values[i + 1] as number;
      }
      if (i < length) a += values[i] as number;
    } else {
      count = 0;
      for (let i = 0; i < length; i++) {
        const live = rows[i] as number;
        a += (values[i] as number) * live;
        count += live;
      }
    }
    const sum = (this.sums[0] as number) + a + b;
    this.counts[0]! += count;
    if (sum > safeSum || sum < -safeSum) {
      this.big[0] = (this.big[0] ?? 0n) + BigInt(sum);
      this.sums[0] = 0;
    } else this.sums[0] = sum;
  }
  private total(g: number): bigint {
    return (this.big[g] ?? 0n) + BigInt(this.sums[g] ?? 0);
  }
  partial(groupCount: number): PartialState {
    const big = this.big.length === 0 ? [] : Array.from({ length: groupCount }, (_, g) => this.big[g] ?? null);
    return { arrays: [prefix(this.sums, groupCount), prefix(this.counts, groupCount)], values: big };
  }
  merge(partial: PartialState, groups: Int32Array): void {
    const needed = groupsNeeded(groups, groups.length);
    this.sums = grow(this.sums, needed, (n) => new Float64Array(n));
    this.counts = grow(this.counts, needed, (n) => new Float64Array(n));
    // Partial sums stay within 2^52, so one addition is exact; then spill as update does.
    addInto(this.sums, partial.arrays[0] as Float64Array, groups);
    addInto(this.counts, partial.arrays[1] as Float64Array, groups);
    const big = partial.values as readonly (bigint | null)[];
    for (let g = 0; g < groups.length; g++) {
      const target = groups[g] as number;
      const extra = big[g] ?? null;
      if (extra !== null) this.big[target] = (this.big[target] ?? 0n) + extra;
      const s = this.sums[target] as number;
      if (s > safeSum || s < -safeSum) {
        this.big[target] = (this.big[target] ?? 0n) + BigInt(s);
        this.sums[target] = 0;
      }
    }
  }
  finish(groupCount: number): Vector {
    const builder = new VectorBuilder(this.type, groupCount);
    for (let g = 0; g < groupCount; g++) {
      const count = this.counts[g] ?? 0;
      if (count === 0) builder.appendValue(null);
      else if (!this.average) builder.appendValue(this.total(g));
      else {
        const accumulator = new NumericAccumulator();
        accumulator.addBigIntSum(this.total(g), count);
        builder.appendValue(accumulator.avg());
      }
    }
    return builder.view();
  }
}

/** sum/avg over int8 and numeric: exact, through NumericAccumulator per group. */
class NumericSumState implements AggregateState {
  private readonly groups: (NumericAccumulator | undefined)[] = [];
  constructor(readonly type: DataType, readonly average: boolean) {}
  /**
   * Over a dictionary-coded numeric column without GROUP BY: rows are counted per code and each
   * entry is parsed once and added times its count.
   */
  updateSingle(length: number, arg: Vector | null, mask: Uint8Array | null): void {
    const vector = arg as Vector;
    if (vector.kind !== 'string' || vector.dictionary === undefined) {
      this.update(new Int32Array(length), length, arg, mask);
      return;
    }
    const { entries, codes } = vector.dictionary;
    const counts = new Float64Array(entries.length);
    const rows = liveRows(vector, mask, length);
    if (rows === null) for (let i = 0; i < length; i++) counts[codes[i] as number]!++;
    else for (let i = 0; i < length; i++) counts[codes[i] as number]! += rows[i] as number;
    for (let e = 0; e < entries.length; e++) {
      const times = counts[e] as number;
      if (times === 0) continue;
      let accumulator = this.groups[0];
      if (accumulator === undefined) this.groups[0] = accumulator = new NumericAccumulator();
      accumulator.addDecimalTimes(decimalFromCanonical(entries[e] as string), times);
    }
  }
  update(groups: Int32Array, length: number, arg: Vector | null, mask: Uint8Array | null): void {
    const vector = arg as Vector;
    const values = vector.values;
    const isBig = values instanceof BigInt64Array;
    for (let i = 0; i < length; i++) {
      if (!live(vector, mask, i)) continue;
      const g = groups[i] as number;
      let accumulator = this.groups[g];
      if (accumulator === undefined) this.groups[g] = accumulator = new NumericAccumulator();
      if (isBig) accumulator.addBigInt(values[i] as bigint);
      else accumulator.add(values[i] as string);
    }
  }
  finish(groupCount: number): Vector {
    const builder = new VectorBuilder(this.type, groupCount);
    for (let g = 0; g < groupCount; g++) {
      const a = this.groups[g];
      builder.appendValue(a === undefined ? null : this.average ? a.avg() : a.sum());
    }
    return builder.view();
  }
  partial(groupCount: number): PartialState {
    return { arrays: [], values: Array.from({ length: groupCount }, (_, g) => this.groups[g]?.toPlain() ?? null) };
  }
  merge(partial: PartialState, groups: Int32Array): void {
    const values = partial.values as readonly (NumericAccumulatorState | null)[];
    for (let g = 0; g < groups.length; g++) {
      const state = values[g] ?? null;
      if (state === null) continue;
      const target = groups[g] as number;
      const other = NumericAccumulator.fromPlain(state);
      const mine = this.groups[target];
      if (mine === undefined) this.groups[target] = other;
      else mine.merge(other);
    }
  }
}

/** sum/avg over float4/float8, in float64 (float4 sums round to float4 at every step, as float4pl). */
class FloatSumState implements AggregateState {
  private sums = new Float64Array(64);
  private counts = new Float64Array(64);
  constructor(readonly type: DataType, readonly average: boolean, readonly float4Sum: boolean) {}
  update(groups: Int32Array, length: number, arg: Vector | null, mask: Uint8Array | null): void {
    const values = (arg as Vector).values as Float64Array;
    const max = maxGroup(groups, length);
    this.sums = grow(this.sums, max + 1, (n) => new Float64Array(n));
    this.counts = grow(this.counts, max + 1, (n) => new Float64Array(n));
    const sums = this.sums;
    const counts = this.counts;
    const rows = liveRows(arg, mask, length);
    // Dead rows are skipped, not multiplied by 0: their slot may hold NaN or Infinity.
    if (this.float4Sum) {
      for (let i = 0; i < length; i++) {
        if (rows !== null && rows[i] === 0) continue;
        const g = groups[i] as number;
        sums[g] = Math.fround((sums[g] as number) + (values[i] as number));
        counts[g]!++;
      }
    } else {
      for (let i = 0; i < length; i++) {
        if (rows !== null && rows[i] === 0) continue;
        const g = groups[i] as number;
        sums[g]! += values[i] as number;
        counts[g]!++;
      }
    }
  }
  finish(groupCount: number): Vector {
    const builder = new VectorBuilder(this.type, groupCount);
    for (let g = 0; g < groupCount; g++) {
      const count = this.counts[g] ?? 0;
      const sum = this.sums[g] ?? 0;
      builder.appendValue(count === 0 ? null : this.average ? sum / count : sum);
    }
    return builder.view();
  }
  partial(groupCount: number): PartialState {
    return { arrays: [prefix(this.sums, groupCount), prefix(this.counts, groupCount)], values: [] };
  }
  merge(partial: PartialState, groups: Int32Array): void {
    const needed = groupsNeeded(groups, groups.length);
    this.sums = grow(this.sums, needed, (n) => new Float64Array(n));
    this.counts = grow(this.counts, needed, (n) => new Float64Array(n));
    const sums = partial.arrays[0] as Float64Array;
    for (let g = 0; g < groups.length; g++) {
      const t = groups[g] as number;
      const sum = (this.sums[t] as number) + (sums[g] as number);
      this.sums[t] = this.float4Sum ? Math.fround(sum) : sum;
    }
    addInto(this.counts, partial.arrays[1] as Float64Array, groups);
  }
}

/** min/max over any ordered type; NaN is the largest float, as in PostgreSQL. */
class MinMaxState implements AggregateState {
  private readonly best: (number | bigint | string | undefined)[] = [];
  constructor(readonly type: DataType, readonly max: boolean) {}
  update(groups: Int32Array, length: number, arg: Vector | null, mask: Uint8Array | null): void {
    const vector = arg as Vector;
    const values = vector.values as ArrayLike<number | bigint | string>;
    const better = this.better(vector.type);
    for (let i = 0; i < length; i++) {
      if (!live(vector, mask, i)) continue;
      const g = groups[i] as number;
      const v = values[i] as number | bigint | string;
      const current = this.best[g];
      if (current === undefined || better(v, current)) this.best[g] = v;
    }
  }
  /**
   * Whether `v` replaces `current`. Intervals compare by span. Of equal values the last one seen
   * wins, as in PostgreSQL's *_larger/*_smaller (max of 1.5 and 1.50 is 1.50; of '1 day' and
   * '24 hours', '24 hours').
   */
  private better(type: DataType): (v: number | bigint | string, current: number | bigint | string) => boolean {
    const sign = this.max ? 1 : -1;
    if (type.id === 'interval') return (v, current) => sign * compareIntervals(v as string, current as string) >= 0;
    if (type.id === 'numeric') return (v, current) => sign * numericCompare(v as string, current as string) >= 0;
    return (v, current) => sign * compareValues(v, current, false) >= 0;
  }
  partial(groupCount: number): PartialState {
    return { arrays: [], values: Array.from({ length: groupCount }, (_, g) => this.best[g] ?? null) };
  }
  /** Partials merge in scan order, so the last-seen rule for equal values holds across threads. */
  merge(partial: PartialState, groups: Int32Array): void {
    const values = partial.values as readonly (number | bigint | string | null)[];
    const better = this.better(this.type);
    for (let g = 0; g < groups.length; g++) {
      const v = values[g] ?? null;
      if (v === null) continue;
      const t = groups[g] as number;
      const current = this.best[t];
      if (current === undefined || better(v, current)) this.best[t] = v;
    }
  }
  finish(groupCount: number): Vector {
    const builder = new VectorBuilder(this.type, groupCount);
    for (let g = 0; g < groupCount; g++) {
      const v = this.best[g];
      builder.appendValue(v === undefined ? null : this.type.layout === 'bool' ? v === 1 : v);
    }
    return builder.view();
  }
}

/** min/max over int2, int4, date and timestamps: float64 per group, no comparator call per row. */
class FixedMinMaxState implements AggregateState {
  private best = new Float64Array(64);
  private seen = new Uint8Array(64);
  constructor(readonly type: DataType, readonly max: boolean) {}
  update(groups: Int32Array, length: number, arg: Vector | null, mask: Uint8Array | null): void {
    const values = (arg as Vector).values as Int32Array | Int16Array | Float64Array;
    const top = maxGroup(groups, length);
    this.best = grow(this.best, top + 1, (n) => new Float64Array(n));
    this.seen = grow(this.seen, top + 1, (n) => new Uint8Array(n));
    const best = this.best;
    const seen = this.seen;
    const rows = liveRows(arg, mask, length);
    const sign = this.max ? 1 : -1;
    for (let i = 0; i < length; i++) {
      if (rows !== null && rows[i] === 0) continue;
      const g = groups[i] as number;
      const v = values[i] as number;
      if (seen[g] === 0 || sign * (v - (best[g] as number)) > 0) {
        best[g] = v;
        seen[g] = 1;
      }
    }
  }
  finish(groupCount: number): Vector {
    const builder = new VectorBuilder(this.type, groupCount);
    for (let g = 0; g < groupCount; g++) builder.appendValue(this.seen[g] === 1 ? (this.best[g] as number) : null);
    return builder.view();
  }
  partial(groupCount: number): PartialState {
    const seen = new Uint8Array(groupCount);
    seen.set(this.seen.subarray(0, Math.min(groupCount, this.seen.length)));
    return { arrays: [prefix(this.best, groupCount), seen], values: [] };
  }
  merge(partial: PartialState, groups: Int32Array): void {
    const needed = groupsNeeded(groups, groups.length);
    this.best = grow(this.best, needed, (n) => new Float64Array(n));
    this.seen = grow(this.seen, needed, (n) => new Uint8Array(n));
    const [best, seen] = partial.arrays as [Float64Array, Uint8Array];
    const sign = this.max ? 1 : -1;
    for (let g = 0; g < groups.length; g++) {
      if (seen[g] === 0) continue;
      const t = groups[g] as number;
      const v = best[g] as number;
      if (this.seen[t] === 0 || sign * (v - (this.best[t] as number)) > 0) {
        this.best[t] = v;
        this.seen[t] = 1;
      }
    }
  }
}

/** bool_and / bool_or: one byte per group (2 = no input yet), folded with AND or OR. */
class BoolState implements AggregateState {
  private results = new Uint8Array(64).fill(2);
  constructor(readonly type: DataType, readonly and: boolean) {}
  update(groups: Int32Array, length: number, arg: Vector | null, mask: Uint8Array | null): void {
    const values = (arg as Vector).values as Uint8Array;
    this.ensure(groupsNeeded(groups, length));
    const results = this.results;
    for (let i = 0; i < length; i++) {
      if (!live(arg, mask, i)) continue;
      const g = groups[i] as number;
      const v = values[i] as number;
      const r = results[g] as number;
      results[g] = r === 2 ? v : this.and ? r & v : r | v;
    }
  }
  private ensure(needed: number): void {
    if (needed <= this.results.length) return;
    const next = new Uint8Array(Math.max(needed, this.results.length * 2)).fill(2);
    next.set(this.results);
    this.results = next;
  }
  partial(groupCount: number): PartialState {
    const out = new Uint8Array(groupCount).fill(2);
    out.set(this.results.subarray(0, Math.min(groupCount, this.results.length)));
    return { arrays: [out], values: [] };
  }
  merge(partial: PartialState, groups: Int32Array): void {
    this.ensure(groupsNeeded(groups, groups.length));
    const results = this.results;
    const other = partial.arrays[0] as Uint8Array;
    for (let g = 0; g < groups.length; g++) {
      const v = other[g] as number;
      if (v === 2) continue;
      const t = groups[g] as number;
      const r = results[t] as number;
      results[t] = r === 2 ? v : this.and ? r & v : r | v;
    }
  }
  finish(groupCount: number): Vector {
    const builder = new VectorBuilder(this.type, groupCount);
    for (let g = 0; g < groupCount; g++) {
      const r = this.results[g] ?? 2;
      builder.appendValue(r === 2 ? null : r === 1);
    }
    return builder.view();
  }
}

/** The first `groupCount` entries of a per-group array, in a buffer of their own (so it can be transferred). */
function prefix(array: Float64Array, groupCount: number): Float64Array {
  const out = new Float64Array(groupCount);
  out.set(array.subarray(0, Math.min(groupCount, array.length)));
  return out;
}

/** target[groups[g]] += source[g] for each group of a partial. */
function addInto(target: Float64Array, source: Float64Array, groups: Int32Array): void {
  for (let g = 0; g < groups.length; g++) {
    const t = groups[g] as number;
    target[t] = (target[t] as number) + (source[g] as number);
  }
}

export function createAggregateState(call: AggregateCall): AggregateState {
  // array_agg sorts its own rows: it keeps NULL arguments, which the sorted-input buffer skips.
  const ownOrder = ['string_agg', 'percentile_cont', 'percentile_disc', 'mode', 'array_agg'];
  const orderedInput = call.orderBy !== undefined && !ownOrder.includes(call.fn);
  if (orderedInput && call.arg !== null) return new SortedInputState(plainState(call), call.arg.type, call.orderBy ?? []);
  return plainState(call);
}

function plainState(call: AggregateCall): AggregateState {
  const argType = call.arg?.type;
  switch (call.fn) {
    case 'count':
    case 'count_star':
      return new CountState(call.type);
    case 'sum':
    case 'avg': {
      const average = call.fn === 'avg';
      if (argType?.id === 'int2' || argType?.id === 'int4') return new IntegerSumState(call.type, average);
      if (argType?.id === 'float4' || argType?.id === 'float8') return new FloatSumState(call.type, average, !average && argType.id === 'float4');
      if (argType?.id === 'interval') return new IntervalSumState(call.type, average);
      return new NumericSumState(call.type, average);
    }
    case 'min':
    case 'max': {
      const fixed = argType !== undefined && (argType.layout === 'int16' || argType.layout === 'int32' || argType.id === 'timestamp' || argType.id === 'timestamptz');
      return fixed ? new FixedMinMaxState(call.type, call.fn === 'max') : new MinMaxState(call.type, call.fn === 'max');
    }
    case 'bool_and':
    case 'bool_or':
      return new BoolState(call.type, call.fn === 'bool_and');
    case 'var_samp':
    case 'var_pop':
    case 'stddev_samp':
    case 'stddev_pop':
      return createVarianceState(call);
    case 'string_agg':
    case 'percentile_cont':
    case 'percentile_disc':
    case 'mode':
      return createOrderedState(call);
    case 'grouping':
      // Computed by the operator from each group's grouping set, not from the rows.
      throw new DbError('XX000', 'internal error: grouping() has no row state');
    case 'array_agg':
      return new ArrayAggState(call);
  }
}

export type { AggregateState } from './aggregate-state.js';
