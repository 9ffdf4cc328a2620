/**
 * Hash aggregation: group ids from the key columns, then one typed-array update per aggregate per
 * batch. DISTINCT aggregates drop rows whose (group, value) was seen; FILTER masks rows. With no
 * GROUP BY there is exactly one output row, even over no input (count = 0, sum = NULL).
 */
import { Types, type DataType } from '../../storage/types.js';
import { compactBatch, constantVector, vectorFromValues, type Batch, type Vector } from '../../storage/vector.js';
import { ScanOperator } from './scan.js';
import { aggregateInputs, type AggregateCall, type Expr } from '../expr.js';
import type { Field } from '../logical-plan.js';
import { evaluate } from '../kernels/eval.js';
import { createAggregateState, type AggregateState } from './aggregate-states.js';
import type { ExecContext } from './context.js';
import { describeAggregate, describeExpr } from './describe.js';
import { GroupTable } from './group-table.js';
import { KeyEncoder } from './key-words.js';
import { WordTable } from './word-table.js';
import { run, type Operator } from './operator.js';
import { groupBytes } from './query-memory.js';
import { correlatedIn, prepareCorrelated } from './subquery-run.js';

export class HashAggregateOperator implements Operator {
  readonly name = 'HashAggregate';
  readonly children: readonly Operator[];
  constructor(
    readonly input: Operator,
    readonly groupBy: readonly Expr[],
    readonly aggregates: readonly AggregateCall[],
    readonly schema: readonly Field[],
    readonly inputNames: readonly string[],
    /** GROUPING SETS: the groupBy indexes of each set; null = one set of every key. */
    readonly groupingSets: readonly (readonly number[])[] | null = null,
  ) {
    this.children = [input];
  }

  describe(): string {
    const keys = this.groupBy.map((g) => describeExpr(g, this.inputNames));
    const aggs = this.aggregates.map((a) => (a.fn === 'grouping' ? `grouping(${(a.grouping ?? []).map((i) => keys[i]).join(', ')})` : describeAggregate(a, this.inputNames)));
    const sets = this.groupingSets?.map((s) => `(${s.map((i) => keys[i]).join(', ')})`);
    return [
      keys.length > 0 && sets === undefined ? `group by: ${keys.join(', ')}` : '',
      sets !== undefined ? `grouping sets: ${sets.join(', ')}` : '',
      aggs.length > 0 ? `aggregates: ${aggs.join(', ')}` : '',
    ]
      .filter((s) => s !== '')
      .join(' ');
  }

  async *execute(context: ExecContext): AsyncIterable<Batch> {
    // With grouping sets every row is aggregated once per set: the keys a set leaves out are NULL,
    // and a trailing set-number key keeps equal keys of different sets apart.
    const sets = this.groupingSets;
    const keyTypes = this.groupBy.map((g) => g.type);
    const table = new GroupTable(sets === null ? keyTypes : [...keyTypes, Types.int4]);
    const rowCalls = this.aggregates.map((a, k) => ({ call: a, k })).filter((c) => c.call.fn !== 'grouping');
    const states = new Map<number, AggregateState>(rowCalls.map(({ call, k }) => [k, createAggregateState(call)]));
    const seen = this.aggregates.map((a) => (a.distinct && a.arg !== null ? new DistinctSeen(a.arg.type) : null));
    if (sets === null && this.groupBy.length === 0) table.assign([], 0);
    // An empty grouping set yields its row even over no input, like a plain aggregate.
    sets?.forEach((set, s) => {
      if (set.length === 0) table.assign([...keyTypes.map((t) => constantVector(t, null, 1)), constantVector(Types.int4, s, 1)], 1);
    });
    const correlated = correlatedIn([...this.groupBy, ...this.aggregates.flatMap(aggregateInputs)]);
    const counted = this.countFromSnapshot(context);
    if (counted !== null) {
      yield counted;
      return;
    }
    // Without GROUP BY every row is in group 0: no key lookups, one shared array of zeros.
    const single = sets === null && this.groupBy.length === 0;
    let zeros = new Int32Array(0);
    for await (const raw of run(this.input, context)) {
      const batch = compactBatch(raw);
      const n = batch.length;
      if (n === 0) continue;
      if (correlated.length > 0) await prepareCorrelated(correlated, batch, context);
      const keys = this.groupBy.map((g) => evaluate(g, batch, context));
      const inputs = rowCalls.map(({ call }) => {
        const arg = call.arg === null ? null : evaluate(call.arg, batch, context);
        const extra = [...(call.extraArgs ?? []), ...(call.orderBy ?? []).map((o) => o.expr)].map((e) => evaluate(e, batch, context));
        let mask: Uint8Array | null = null;
        if (call.filter !== null) {
          const f = evaluate(call.filter, batch, context);
          mask = new Uint8Array(n);
          for (let i = 0; i < n; i++) mask[i] = (f.values[i] as number) & (f.validity === null ? 1 : (f.validity[i] as number));
        }
        return { arg, extra, mask };
      });
      const update = (groups: Int32Array) => {
        rowCalls.forEach(({ k }, c) => {
          const { arg, extra } = inputs[c] as (typeof inputs)[number];
          let mask = (inputs[c] as (typeof inputs)[number]).mask;
          const distinct = seen[k];
          // array_agg keeps NULLs, so its DISTINCT keeps one NULL per group too.
          if (distinct !== null && distinct !== undefined && arg !== null) mask = distinct.mask(groups, arg, mask, n, rowCalls[c]?.call.fn === 'array_agg');
          const state = states.get(k) as AggregateState;
          if (single && state.updateSingle !== undefined) state.updateSingle(n, arg, mask);
          else state.update(groups, n, arg, mask, extra);
        });
      };
      if (single) update(zeros.length >= n ? zeros.subarray(0, n) : (zeros = new Int32Array(n)));
      else if (sets === null) update(table.assign(keys, n));
      else {
        sets.forEach((set, s) => {
          const setKeys = keys.map((key, i) => (set.includes(i) ? key : constantVector(key.type, null, n)));
          update(table.assign([...setKeys, constantVector(Types.int4, s, n)], n));
        });
      }
      context.memory?.hold(this, groupBytes(table.count, keyTypes.length, this.aggregates.length));
    }
    const count = table.count;
    const keyVectors = table.keys.map((b) => b.view());
    const setNumbers = sets === null ? null : ((keyVectors.pop() as Vector).values as Int32Array);
    const aggregateVectors = this.aggregates.map((call, k) =>
      call.fn === 'grouping' ? groupingVector(call, count, sets, setNumbers) : (states.get(k) as AggregateState).finish(count),
    );
    const columns: Vector[] = [...keyVectors, ...aggregateVectors];
    const step = context.batchRows;
    for (let start = 0; start < count; start += step) {
      const end = Math.min(count, start + step);
      if (start === 0 && end === count) yield { length: count, columns, selection: null };
      else {
        const rows = Int32Array.from({ length: end - start }, (_, i) => start + i);
        yield compactBatch({ length: count, columns, selection: rows });
      }
    }
  }

  /**
   * `SELECT count(*) FROM t` with no filter is the snapshot's exact row count: segments and the
   * tail prefix know their sizes, so nothing is read.
   */
  private countFromSnapshot(context: ExecContext): Batch | null {
    const input = this.input;
    if (!(input instanceof ScanOperator) || input.filter !== null || this.groupBy.length > 0 || this.groupingSets !== null) return null;
    if (this.aggregates.length === 0 || !this.aggregates.every((a) => a.fn === 'count_star' && a.filter === null)) return null;
    const rows = BigInt(context.snapshot(input.table.id).rowCount);
    const columns = this.aggregates.map((a) => vectorFromValues(a.type, [rows]));
    return { length: 1, columns, selection: null };
  }
}

/** grouping(a, b, ...) per group: bit (m - 1 - j) is set when the group's set leaves argument j out. */
function groupingVector(call: AggregateCall, count: number, sets: readonly (readonly number[])[] | null, setNumbers: Int32Array | null): Vector {
  const keys = call.grouping ?? [];
  const bySet = (sets ?? [null]).map((set) => keys.reduce((bits, key, j) => (set === null || set.includes(key) ? bits : bits | (1 << (keys.length - 1 - j))), 0));
  const values = new Int32Array(count);
  for (let g = 0; g < count; g++) values[g] = bySet[setNumbers === null ? 0 : (setNumbers[g] as number)] as number;
  return { kind: 'fixed', type: call.type, length: count, values, validity: null };
}

/** Seen (group, value) pairs of one DISTINCT aggregate, as int32 words in an open-addressing table. */
class DistinctSeen {
  private readonly encoder: KeyEncoder;
  private readonly table: WordTable;
  constructor(argType: DataType) {
    this.encoder = new KeyEncoder([Types.int4, argType]);
    this.table = new WordTable(this.encoder.width);
  }

  /** Rows whose (group, value) is new, in row order; NULL values count only with `keepNull`. */
  mask(groups: Int32Array, arg: Vector, mask: Uint8Array | null, n: number, keepNull: boolean): Uint8Array {
    const groupVector: Vector = { kind: 'fixed', type: Types.int4, length: n, values: groups, validity: null };
    const words = this.encoder.encode([groupVector, arg], n);
    const ids = new Int32Array(n);
    // Rows masked out (FILTER) or NULL must not claim a pair: insert only the others.
    const width = this.encoder.width;
    const out = new Uint8Array(n);
    let rows: Int32Array | null = null;
    if (mask !== null || (arg.validity !== null && !keepNull)) {
      const live: number[] = [];
      for (let i = 0; i < n; i++) {
        if (mask !== null && mask[i] === 0) continue;
        if (!keepNull && arg.validity !== null && arg.validity[i] === 0) continue;
        live.push(i);
      }
      rows = Int32Array.from(live);
    }
    if (rows === null) {
      for (const row of this.table.insert(words, n, ids)) out[row] = 1;
    } else {
      const packed = new Int32Array(rows.length * width);
      for (let k = 0; k < rows.length; k++) packed.set(words.subarray((rows[k] as number) * width, ((rows[k] as number) + 1) * width), k * width);
      for (const k of this.table.insert(packed, rows.length, ids)) out[rows[k] as number] = 1;
    }
    return out;
  }
}
