/**
 * The two halves of a parallel aggregate. PartialAggregation runs per task (in a worker, or on the
 * coordinator over the tail): group ids and per-group states, as HashAggregate keeps them, then
 * exported as plain data. FinalAggregation merges the partials in scan order into one group table
 * and finishes each state with the single-threaded path's result types, rounding and NULLs.
 */
import { compactBatch, type Batch, type Vector } from '../../storage/vector.js';
import type { AggregateCall, Expr } from '../expr.js';
import { evaluate, type EvalContext } from '../kernels/eval.js';
import { createAggregateState, type AggregateState } from '../physical/aggregate-states.js';
import { equalityKeyOf } from '../kernels/equality-key.js';
import { GroupTable } from '../physical/group-table.js';
import type { PartialAggregate } from './fragment.js';

export class PartialAggregation {
  private readonly table: GroupTable;
  private readonly states: AggregateState[];
  /** Per DISTINCT aggregate, the (group, value) pairs seen in this task. */
  private readonly seen: (Set<unknown> | null)[];

  constructor(
    readonly groupBy: readonly Expr[],
    readonly aggregates: readonly AggregateCall[],
  ) {
    this.table = new GroupTable(groupBy.map((g) => g.type));
    this.states = aggregates.map((a) => createAggregateState(a));
    this.seen = aggregates.map((a) => (a.distinct ? new Set<unknown>() : null));
    if (groupBy.length === 0) this.table.assign([], 0);
  }

  add(raw: Batch, context: EvalContext): void {
    const batch = compactBatch(raw);
    const n = batch.length;
    if (n === 0) return;
    const groups = this.table.assign(this.groupBy.map((g) => evaluate(g, batch, context)), n);
    this.aggregates.forEach((call, k) => {
      const arg = call.arg === null ? null : evaluate(call.arg, batch, context);
      let mask: Uint8Array | null = null;
      if (call.filter !== null) {
        const f = evaluate(call.filter, batch, context);
        mask = new Uint8Array(n);
        for (let i = 0; i < n; i++) mask[i] = (f.values[i] as number) & (f.validity === null ? 1 : (f.validity[i] as number));
      }
      const seen = this.seen[k] ?? null;
      if (seen !== null && arg !== null) mask = firstSeen(seen, this.groupBy.length > 0 ? groups : null, arg, mask, n);
      (this.states[k] as AggregateState).update(groups, n, arg, mask, []);
    });
  }

  result(): PartialAggregate {
    const count = this.table.count;
    return {
      groupCount: count,
      keys: this.table.keys.map((b) => ownedVector(b.view())),
      states: this.states.map((s) => s.partial?.(count) ?? { arrays: [], values: [] }),
    };
  }
}

export class FinalAggregation {
  private readonly table: GroupTable;
  private readonly states: AggregateState[];

  constructor(
    readonly groupBy: readonly Expr[],
    readonly aggregates: readonly AggregateCall[],
  ) {
    this.table = new GroupTable(groupBy.map((g) => g.type));
    this.states = aggregates.map((a) => createAggregateState(a));
    // With no GROUP BY there is exactly one row, even over no input.
    if (groupBy.length === 0) this.table.assign([], 0);
  }

  merge(partial: PartialAggregate): void {
    if (partial.groupCount === 0) return;
    const groups = this.table.assign(partial.keys, partial.groupCount);
    this.states.forEach((state, k) => {
      const merge = state.merge;
      if (merge === undefined) throw new Error('aggregate state without merge in a parallel plan');
      merge.call(state, partial.states[k] as NonNullable<PartialAggregate['states'][number]>, groups);
    });
  }

  /** The finished groups, `batchRows` at a time, keys first, as HashAggregate yields them. */
  *batches(batchRows: number): Iterable<Batch> {
    const count = this.table.count;
    const columns: Vector[] = [...this.table.keys.map((b) => b.view()), ...this.states.map((s) => s.finish(count))];
    for (let start = 0; start < count; start += batchRows) {
      const end = Math.min(count, start + batchRows);
      if (start === 0 && end === count) yield { length: count, columns, selection: null };
      else yield compactBatch({ length: count, columns, selection: Int32Array.from({ length: end - start }, (_, i) => start + i) });
    }
  }
}

/**
 * Masks all but the first row of each (group, value) pair of a DISTINCT aggregate; NULLs never
 * count. Without GROUP BY the value alone is the key, hashed natively.
 */
function firstSeen(seen: Set<unknown>, groups: Int32Array | null, arg: Vector, mask: Uint8Array | null, n: number): Uint8Array {
  const out = new Uint8Array(n);
  const values = arg.values as ArrayLike<unknown>;
  const keyOf = equalityKeyOf(arg.type);
  const validity = arg.validity;
  for (let i = 0; i < n; i++) {
    if ((mask !== null && mask[i] === 0) || (validity !== null && validity[i] === 0)) continue;
    const v = keyOf !== null ? keyOf(values[i] as string) : values[i];
    const key = groups === null ? v : `${groups[i] as number}|${String(v)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out[i] = 1;
  }
  return out;
}

/** A copy whose typed arrays own their buffers, so they can be transferred to another thread. */
function ownedVector(vector: Vector): Vector {
  const validity = vector.validity === null ? null : vector.validity.slice(0, vector.length);
  // Built field by field: a dictionary vector's strings sit behind a getter, which a clone drops.
  if (vector.kind === 'string') return { kind: 'string', type: vector.type, length: vector.length, values: vector.values.slice(0, vector.length), validity };
  return { kind: 'fixed', type: vector.type, length: vector.length, values: vector.values.slice(0, vector.length), validity };
}

/** The buffers of a partial's typed arrays, each once (a transfer list may not repeat one). */
export function partialBuffers(partial: PartialAggregate): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  const add = (array: ArrayBufferView | null) => {
    if (array !== null && array.buffer instanceof ArrayBuffer) buffers.add(array.buffer);
  };
  for (const key of partial.keys) {
    if (key.kind === 'fixed') add(key.values);
    add(key.validity);
  }
  for (const state of partial.states) for (const array of state.arrays) add(array);
  return [...buffers];
}
