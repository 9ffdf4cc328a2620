/**
 * Aggregates that see their input in order: string_agg (with ORDER BY inside the call), and the
 * ordered-set aggregates percentile_cont, percentile_disc and mode (WITHIN GROUP (ORDER BY x)).
 * Each group keeps its live values; `finish` sorts a group once and reads its answer off it.
 * NULL inputs are skipped, as PostgreSQL does for all of them.
 */
import { DbError } from '../../storage/errors.js';
import { addIntervals, compareIntervals, decodeInterval, multiplyInterval } from '../../storage/interval.js';
import { elementType, isArrayType, Types, type DataType, type Value } from '../../storage/types.js';
import { decodeArray, encodeArray } from '../../storage/array-value.js';
import { getValue, takeRows, type Vector } from '../../storage/vector.js';
import { VectorBuilder } from '../../storage/vector-builder.js';
import type { AggregateCall, AggregateOrder } from '../expr.js';
import { compareValues } from '../kernels/compare.js';
import { grow, liveRows, maxGroup, type AggregateState } from './aggregate-state.js';
import { groupRuns, percentileOfRun, type GroupRuns } from './order-statistics.js';

type Scalar = number | bigint | string;

export function createOrderedState(call: AggregateCall): AggregateState {
  const order = call.orderBy ?? [];
  switch (call.fn) {
    case 'string_agg':
      return new StringAggState(call.type, order);
    case 'percentile_cont':
    case 'percentile_disc':
    case 'mode':
      return new OrderedSetState(call.type, call.fn, order[0] as AggregateOrder, call.extraArgs?.[0]?.type ?? Types.float8);
    default:
      throw new DbError('XX000', `internal error: ${call.fn} is not an ordered aggregate`);
  }
}

/**
 * The live rows of a batch stream, buffered column-wise with their group ids: `columns` are the
 * aggregated values (and extra arguments), `keys` the ORDER BY keys. `sorted()` is the row order
 * by (group, keys): one sort for all groups at the end.
 */
class RowBuffer {
  private groupIds = new Int32Array(1024);
  private count = 0;
  private readonly columns: VectorBuilder[];
  private readonly keys: VectorBuilder[];
  constructor(
    columnTypes: readonly DataType[],
    readonly order: readonly AggregateOrder[],
    /** The one ORDER BY key is this buffered column itself (ordered-set aggregates): not copied twice. */
    private readonly keyColumn: number | null = null,
  ) {
    this.columns = columnTypes.map((t) => new VectorBuilder(t));
    this.keys = keyColumn === null ? order.map((o) => new VectorBuilder(o.expr.type)) : [];
  }
  /** The group of every buffered row, in buffer order. */
  get groups(): Int32Array {
    return this.groupIds.subarray(0, this.count);
  }
  /** Appends the rows whose `mask` byte is 1 and whose first column is not NULL. */
  append(groups: Int32Array, length: number, columns: readonly Vector[], mask: Uint8Array | null, keys: readonly Vector[]): void {
    const live = liveRows(columns[0] ?? null, mask, length);
    let selected: Int32Array | null = null;
    let taken = length;
    if (live !== null) {
      const rows = new Int32Array(length);
      taken = 0;
      for (let i = 0; i < length; i++) {
        rows[taken] = i;
        taken += live[i] as number;
      }
      if (taken === 0) return;
      selected = rows.subarray(0, taken);
    }
    if (this.count + taken > this.groupIds.length) {
      let capacity = this.groupIds.length;
      while (capacity < this.count + taken) capacity *= 2;
      const next = new Int32Array(capacity);
      next.set(this.groupIds.subarray(0, this.count));
      this.groupIds = next;
    }
    const ids = this.groupIds;
    if (selected === null) ids.set(groups.subarray(0, length), this.count);
    else for (let k = 0; k < taken; k++) ids[this.count + k] = groups[selected[k] as number] as number;
    this.count += taken;
    columns.forEach((v, k) => (this.columns[k] as VectorBuilder).appendVector(v, selected, 0, taken));
    keys.forEach((v, k) => (this.keys[k] as VectorBuilder).appendVector(v, selected, 0, taken));
  }
  column(k: number): Vector {
    return (this.columns[k] as VectorBuilder).view();
  }
  sorted(): Int32Array {
    const groups = this.groups;
    const keys = this.keyColumn === null ? this.keys.map((b) => b.view()) : [this.column(this.keyColumn)];
    const compare = keys.map((v, k) => keyComparator(v, this.order[k] as AggregateOrder));
    return Int32Array.from({ length: groups.length }, (_, i) => i).sort((a, b) => {
      const byGroup = (groups[a] as number) - (groups[b] as number);
      if (byGroup !== 0) return byGroup;
      for (const c of compare) {
        const r = c(a, b);
        if (r !== 0) return r;
      }
      return 0;
    });
  }
}

/** Compares two rows of one ORDER BY key: NULLs placed by nullsFirst, DESC reversing the rest. */
function keyComparator(vector: Vector, spec: AggregateOrder): (a: number, b: number) => number {
  const values = vector.values as ArrayLike<Scalar>;
  const validity = vector.validity;
  const typeId = vector.type.id;
  const sign = spec.descending ? -1 : 1;
  const nullSide = spec.nullsFirst ? -1 : 1;
  const compare =
    typeId === 'interval' ? (x: Scalar, y: Scalar) => compareIntervals(x as string, y as string) : (x: Scalar, y: Scalar) => compareValues(x, y, typeId === 'numeric');
  return (a, b) => {
    const aNull = validity !== null && validity[a] === 0;
    const bNull = validity !== null && validity[b] === 0;
    if (aNull || bNull) return aNull === bNull ? 0 : aNull ? nullSide : -nullSide;
    return sign * compare(values[a] as Scalar, values[b] as Scalar);
  };
}

/** string_agg(value, delimiter [ORDER BY ...]): each value after the first is preceded by its row's delimiter. */
class StringAggState implements AggregateState {
  private readonly buffer: RowBuffer;
  constructor(
    readonly type: DataType,
    order: readonly AggregateOrder[],
  ) {
    this.buffer = new RowBuffer([type, type], order);
  }
  update(groups: Int32Array, length: number, arg: Vector | null, mask: Uint8Array | null, extra: readonly Vector[]): void {
    this.buffer.append(groups, length, [arg as Vector, extra[0] as Vector], mask, extra.slice(1));
  }
  finish(groupCount: number): Vector {
    const values = this.buffer.column(0).values as readonly string[];
    const delimiters = this.buffer.column(1);
    const texts: (string | null)[] = new Array<string | null>(groupCount).fill(null);
    const groups = this.buffer.groups;
    for (const row of this.buffer.sorted()) {
      const g = groups[row] as number;
      const current = texts[g] ?? null;
      if (current === null) texts[g] = values[row] as string;
      else {
        const delimiter = delimiters.validity !== null && delimiters.validity[row] === 0 ? '' : (delimiters.values[row] as string);
        texts[g] = current + delimiter + (values[row] as string);
      }
    }
    const builder = new VectorBuilder(this.type, groupCount);
    for (const t of texts) builder.appendValue(t);
    return builder.view();
  }
}

/**
 * percentile_cont / percentile_disc / mode over the group's non-NULL values in sorted order: the
 * rows of all groups are buffered and sorted once by (group, value); each group is a run of it.
 */
class OrderedSetState implements AggregateState {
  private readonly buffer: RowBuffer;
  /** A group's fraction (the direct argument) is the one of its first live row: kept per group, not per row. */
  private readonly fractions: Value[] = [];
  private fractionSeen = new Uint8Array(64);
  constructor(
    readonly type: DataType,
    readonly fn: 'percentile_cont' | 'percentile_disc' | 'mode',
    readonly order: AggregateOrder,
    /** float8, or float8[] for several fractions at once (the result is then an array too). */
    readonly fractionType: DataType,
  ) {
    this.buffer = new RowBuffer([order.expr.type], [order], 0);
  }
  update(groups: Int32Array, length: number, arg: Vector | null, mask: Uint8Array | null, extra: readonly Vector[]): void {
    // extra: [fraction] then the ORDER BY key, which is the argument itself.
    const value = arg as Vector;
    if (this.fn !== 'mode') this.noteFractions(groups, length, value, mask, extra[0] as Vector);
    this.buffer.append(groups, length, [value], mask, []);
  }
  private noteFractions(groups: Int32Array, length: number, value: Vector, mask: Uint8Array | null, fraction: Vector): void {
    this.fractionSeen = grow(this.fractionSeen, maxGroup(groups, length) + 1, (n) => new Uint8Array(n));
    const seen = this.fractionSeen;
    const live = liveRows(value, mask, length);
    for (let i = 0; i < length; i++) {
      const g = groups[i] as number;
      if (seen[g] === 1 || (live !== null && live[i] === 0)) continue;
      seen[g] = 1;
      this.fractions[g] = getValue(fraction, i);
    }
  }
  finish(groupCount: number): Vector {
    const groups = this.buffer.groups;
    const n = groups.length;
    const values = this.buffer.column(0).values as ArrayLike<Scalar>;
    const fractions = this.fn === 'mode' ? null : this.fractions;
    const sign = this.order.descending ? -1 : 1;
    const typeId = this.order.expr.type.id;
    // Intervals order (and, for mode, equal) by span: '1 day' = '24 hours'.
    const compare =
      typeId === 'interval' ? (a: Scalar, b: Scalar) => sign * compareIntervals(a as string, b as string) : (a: Scalar, b: Scalar) => sign * compareValues(a, b, typeId === 'numeric');
    const results: (Scalar | null)[] = new Array<Scalar | null>(groupCount).fill(null);
    if (fractions !== null && !isArrayType(this.fractionType) && numberLayouts.has(this.order.expr.type.layout)) {
      const runs = groupRuns(values as ArrayLike<number>, groups, groupCount);
      if (runs !== null) return this.percentilesByRuns(runs, fractions, groupCount);
    }
    const permutation = this.buffer.sorted();
    for (let start = 0; start < n; ) {
      const g = groups[permutation[start] as number] as number;
      let end = start;
      while (end < n && groups[permutation[end] as number] === g) end++;
      const sorted = Array.from(permutation.subarray(start, end), (row) => values[row] as Scalar);
      start = end;
      if (fractions === null) {
        results[g] = modeOf(sorted, compare);
        continue;
      }
      const fraction = fractions[g] ?? null;
      if (fraction === null) continue;
      const continuous = this.fn === 'percentile_cont';
      if (isArrayType(this.fractionType)) {
        // One percentile per fraction, NULL for a NULL fraction, as an array of the result type.
        const each = decodeArray(fraction as string, Types.float8);
        const element = elementType(this.type) as DataType;
        const values = each.map((f) => (f === null ? null : toValue(percentileOf(sorted, f as number, continuous, typeId === 'interval'), element)));
        results[g] = encodeArray(values, element);
        continue;
      }
      results[g] = percentileOf(sorted, fraction as number, continuous, typeId === 'interval');
    }
    const builder = new VectorBuilder(this.type, groupCount);
    for (const value of results) builder.appendValue(value === null ? null : this.type.layout === 'bool' ? value === 1 : value);
    return builder.view();
  }

  /** One fraction per group over numbers: quickselect on each group's run, no sort. */
  private percentilesByRuns(runs: GroupRuns, fractions: readonly Value[], groupCount: number): Vector {
    const builder = new VectorBuilder(this.type, groupCount);
    for (let g = 0; g < groupCount; g++) {
      const value = fractions[g] ?? null;
      if (value === null) {
        builder.appendValue(null);
        continue;
      }
      const fraction = value as number;
      if (!(fraction >= 0 && fraction <= 1)) throw new DbError('22003', `percentile value ${fraction} is not between 0 and 1`);
      builder.appendValue(percentileOfRun(runs, g, fraction, this.fn === 'percentile_cont', this.order.descending));
    }
    return builder.view();
  }
}

const numberLayouts = new Set(['int16', 'int32', 'float32', 'float64']);

function toValue(value: Scalar, element: DataType): Value {
  return element.layout === 'bool' ? value === 1 : value;
}

/** percentile_disc: the first value whose position reaches fraction * n; percentile_cont: interpolated. */
function percentileOf(sorted: readonly Scalar[], fraction: number, continuous: boolean, interval: boolean): Scalar {
  if (!(fraction >= 0 && fraction <= 1)) throw new DbError('22003', `percentile value ${fraction} is not between 0 and 1`);
  const n = sorted.length;
  if (!continuous) {
    const row = Math.max(Math.ceil(fraction * n), 1);
    return sorted[row - 1] as Scalar;
  }
  const position = fraction * (n - 1);
  const first = Math.floor(position);
  const second = Math.ceil(position);
  if (first === second) return sorted[first] as Scalar;
  if (interval) return intervalLerp(sorted[first] as string, sorted[second] as string, position - first);
  const low = sorted[first] as number;
  const high = sorted[second] as number;
  return low + (position - first) * (high - low);
}

/** interval_lerp: lo + (hi - lo) * fraction, through interval_mi, interval_mul and interval_pl. */
function intervalLerp(low: string, high: string, fraction: number): string {
  const lo = decodeInterval(low);
  const difference = decodeInterval(addIntervals(decodeInterval(high), lo, -1));
  return addIntervals(decodeInterval(multiplyInterval(difference, fraction)), lo, 1);
}

/** The most frequent value; among equally frequent ones the first in sort order, as mode_final. */
function modeOf(sorted: readonly Scalar[], compare: (a: Scalar, b: Scalar) => number): Scalar {
  let mode = sorted[0] as Scalar;
  let modeCount = 0;
  let run = sorted[0] as Scalar;
  let runCount = 0;
  for (const v of sorted) {
    if (runCount > 0 && compare(v, run) === 0) {
      runCount++;
      continue;
    }
    if (runCount > modeCount) {
      mode = run;
      modeCount = runCount;
    }
    run = v;
    runCount = 1;
  }
  return runCount > modeCount ? run : mode;
}

/**
 * ORDER BY inside an aggregate whose result depends on input order only through float rounding
 * (sum/avg/variance of floats): the live rows are buffered with their group and keys, sorted by
 * (group, keys) at the end, and fed to the plain state in that order in one update.
 */
export class SortedInputState implements AggregateState {
  private readonly buffer: RowBuffer;
  constructor(
    readonly inner: AggregateState,
    argType: DataType,
    order: readonly AggregateOrder[],
  ) {
    this.buffer = new RowBuffer([argType], order);
  }
  update(groups: Int32Array, length: number, arg: Vector | null, mask: Uint8Array | null, extra: readonly Vector[]): void {
    // The ORDER BY keys are the last extra vectors; NULL arguments are skipped by every such aggregate.
    this.buffer.append(groups, length, [arg as Vector], mask, extra.slice(extra.length - this.buffer.order.length));
  }
  finish(groupCount: number): Vector {
    const permutation = this.buffer.sorted();
    const buffered = this.buffer.groups;
    const groups = Int32Array.from(permutation, (i) => buffered[i] as number);
    if (permutation.length > 0) this.inner.update(groups, permutation.length, takeRows(this.buffer.column(0), permutation), null, []);
    return this.inner.finish(groupCount);
  }
}
