/**
 * Aggregates that see their input in order: string_agg (with ORDER BY inside the call), and the
 * ordered-set aggregates percentile_cont, percentile_disc and mode (WITHIN GROUP (ORDER BY x)).
 * Each group keeps its live values; `finish` sorts a group once and reads its answer off it.
 * NULL inputs are skipped, as PostgreSQL does for all of them.
 */
import { DbError } from '../../storage/errors.js';
import { addIntervals, compareIntervals, decodeInterval, multiplyInterval } from '../../storage/interval.js';
import type { DataType } from '../../storage/types.js';
import { takeRows, type Vector } from '../../storage/vector.js';
import { VectorBuilder } from '../../storage/vector-builder.js';
import type { AggregateCall, AggregateOrder } from '../expr.js';
import { compareValues } from '../kernels/compare.js';
import { live, type AggregateState } from './aggregate-state.js';

type Scalar = number | bigint | string;

export function createOrderedState(call: AggregateCall): AggregateState {
  const order = call.orderBy ?? [];
  switch (call.fn) {
    case 'string_agg':
      return new StringAggState(call.type, order);
    case 'percentile_cont':
    case 'percentile_disc':
    case 'mode':
      return new OrderedSetState(call.type, call.fn, order[0] ?? null);
    default:
      throw new DbError('XX000', `internal error: ${call.fn} is not an ordered aggregate`);
  }
}

/** Compares two rows' ORDER BY keys: NULLs placed by nullsFirst, DESC reversing the rest. */
function compareKeys(a: readonly (Scalar | null)[], b: readonly (Scalar | null)[], order: readonly AggregateOrder[]): number {
  for (let k = 0; k < order.length; k++) {
    const spec = order[k] as AggregateOrder;
    const x = a[k] ?? null;
    const y = b[k] ?? null;
    if (x === null || y === null) {
      if (x === y) continue;
      return (x === null) === spec.nullsFirst ? -1 : 1;
    }
    const c = spec.expr.type.id === 'interval' ? compareIntervals(x as string, y as string) : compareValues(x, y, spec.expr.type.id === 'numeric');
    if (c !== 0) return spec.descending ? -c : c;
  }
  return 0;
}

interface StringEntry {
  readonly value: string;
  readonly delimiter: string | null;
  readonly keys: readonly (Scalar | null)[];
}

/** string_agg(value, delimiter [ORDER BY ...]): each value after the first is preceded by its row's delimiter. */
class StringAggState implements AggregateState {
  private readonly entries: (StringEntry[] | undefined)[] = [];
  constructor(readonly type: DataType, readonly order: readonly AggregateOrder[]) {}
  update(groups: Int32Array, length: number, arg: Vector | null, mask: Uint8Array | null, extra: readonly Vector[]): void {
    const values = (arg as Vector).values as readonly string[];
    const delimiters = extra[0] as Vector;
    const keyVectors = extra.slice(1);
    for (let i = 0; i < length; i++) {
      if (!live(arg, mask, i)) continue;
      const g = groups[i] as number;
      const delimiter = delimiters.validity !== null && delimiters.validity[i] === 0 ? null : (delimiters.values[i] as string);
      const keys = keyVectors.map((v) => (v.validity !== null && v.validity[i] === 0 ? null : (v.values[i] as Scalar)));
      let list = this.entries[g];
      if (list === undefined) this.entries[g] = list = [];
      list.push({ value: values[i] as string, delimiter, keys });
    }
  }
  finish(groupCount: number): Vector {
    const builder = new VectorBuilder(this.type, groupCount);
    for (let g = 0; g < groupCount; g++) {
      const list = this.entries[g];
      if (list === undefined) {
        builder.appendValue(null);
        continue;
      }
      if (this.order.length > 0) list.sort((a, b) => compareKeys(a.keys, b.keys, this.order));
      let text = '';
      list.forEach((e, i) => {
        if (i > 0 && e.delimiter !== null) text += e.delimiter;
        text += e.value;
      });
      builder.appendValue(text);
    }
    return builder.view();
  }
}

/** percentile_cont / percentile_disc / mode over the group's non-NULL values in sorted order. */
class OrderedSetState implements AggregateState {
  private readonly values: (Scalar[] | undefined)[] = [];
  /** The fraction of each group (the direct argument), taken from its first live row. */
  private readonly fractions: (number | null | undefined)[] = [];
  constructor(
    readonly type: DataType,
    readonly fn: 'percentile_cont' | 'percentile_disc' | 'mode',
    readonly order: AggregateOrder | null,
  ) {}
  update(groups: Int32Array, length: number, arg: Vector | null, mask: Uint8Array | null, extra: readonly Vector[]): void {
    const values = (arg as Vector).values as ArrayLike<Scalar>;
    const fraction = this.fn === 'mode' ? null : (extra[0] as Vector);
    for (let i = 0; i < length; i++) {
      if (!live(arg, mask, i)) continue;
      const g = groups[i] as number;
      let list = this.values[g];
      if (list === undefined) {
        this.values[g] = list = [];
        if (fraction !== null) this.fractions[g] = fraction.validity !== null && fraction.validity[i] === 0 ? null : (fraction.values[i] as number);
      }
      list.push(values[i] as Scalar);
    }
  }
  finish(groupCount: number): Vector {
    const builder = new VectorBuilder(this.type, groupCount);
    const sign = this.order?.descending === true ? -1 : 1;
    const typeId = this.order?.expr.type.id;
    // Intervals order (and, for mode, equal) by span: '1 day' = '24 hours'.
    const compare =
      typeId === 'interval' ? (a: Scalar, b: Scalar) => sign * compareIntervals(a as string, b as string) : (a: Scalar, b: Scalar) => sign * compareValues(a, b, typeId === 'numeric');
    for (let g = 0; g < groupCount; g++) {
      const list = this.values[g];
      const fraction = this.fractions[g];
      if (list === undefined || fraction === null) {
        builder.appendValue(null);
        continue;
      }
      list.sort(compare);
      const value = this.fn === 'mode' ? modeOf(list, compare) : percentileOf(list, fraction as number, this.fn === 'percentile_cont', typeId === 'interval');
      builder.appendValue(this.type.layout === 'bool' ? value === 1 : value);
    }
    return builder.view();
  }
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
  private readonly groups: number[] = [];
  private readonly arg: VectorBuilder;
  private readonly keys: VectorBuilder[];
  constructor(
    readonly inner: AggregateState,
    readonly argType: DataType,
    readonly order: readonly AggregateOrder[],
  ) {
    this.arg = new VectorBuilder(argType);
    this.keys = order.map((o) => new VectorBuilder(o.expr.type));
  }
  update(groups: Int32Array, length: number, arg: Vector | null, mask: Uint8Array | null, extra: readonly Vector[]): void {
    const rows: number[] = [];
    for (let i = 0; i < length; i++) if (mask === null || mask[i] === 1) rows.push(i);
    const selected = Int32Array.from(rows);
    for (const r of rows) this.groups.push(groups[r] as number);
    this.arg.appendVector(arg as Vector, selected);
    // The ORDER BY keys are the last `order.length` extra vectors.
    const keyVectors = extra.slice(extra.length - this.order.length);
    keyVectors.forEach((v, k) => (this.keys[k] as VectorBuilder).appendVector(v, selected));
  }
  finish(groupCount: number): Vector {
    const n = this.groups.length;
    const keys = this.keys.map((b) => b.view());
    const read = (v: Vector, i: number): Scalar | null => (v.validity !== null && v.validity[i] === 0 ? null : (v.values[i] as Scalar));
    const permutation = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => {
      const byGroup = (this.groups[a] as number) - (this.groups[b] as number);
      if (byGroup !== 0) return byGroup;
      return compareKeys(
        keys.map((v) => read(v, a)),
        keys.map((v) => read(v, b)),
        this.order,
      );
    });
    const groups = Int32Array.from(permutation, (i) => this.groups[i] as number);
    if (n > 0) this.inner.update(groups, n, takeRows(this.arg.view(), permutation), null, []);
    return this.inner.finish(groupCount);
  }
}
