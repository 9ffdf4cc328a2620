/**
 * Hash aggregation: group ids from the key columns, then one typed-array update per aggregate per
 * batch. DISTINCT aggregates drop rows whose (group, value) was seen; FILTER masks rows. With no
 * GROUP BY there is exactly one output row, even over no input (count = 0, sum = NULL).
 */
import { compactBatch, type Batch, type Vector } from '../../storage/vector.js';
import { aggregateExprs, type AggregateCall, type Expr } from '../expr.js';
import type { Field } from '../logical-plan.js';
import { evaluate } from '../kernels/eval.js';
import { createAggregateState, type AggregateState } from './aggregate-states.js';
import type { ExecContext } from './context.js';
import { describeAggregate, describeExpr } from './describe.js';
import { equalityKeyOf, GroupTable } from './group-table.js';
import { run, type Operator } from './operator.js';
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
  ) {
    this.children = [input];
  }

  describe(): string {
    const keys = this.groupBy.map((g) => describeExpr(g, this.inputNames));
    const aggs = this.aggregates.map((a) => describeAggregate(a, this.inputNames));
    return [keys.length > 0 ? `group by: ${keys.join(', ')}` : '', aggs.length > 0 ? `aggregates: ${aggs.join(', ')}` : ''].filter((s) => s !== '').join(' ');
  }

  async *execute(context: ExecContext): AsyncIterable<Batch> {
    const table = new GroupTable(this.groupBy.map((g) => g.type));
    const states: AggregateState[] = this.aggregates.map(createAggregateState);
    const seen = this.aggregates.map((a) => (a.distinct ? new Set<string>() : null));
    if (this.groupBy.length === 0) table.assign([], 0);
    const correlated = correlatedIn([...this.groupBy, ...this.aggregates.flatMap(aggregateExprs)]);
    for await (const raw of run(this.input, context)) {
      const batch = compactBatch(raw);
      const n = batch.length;
      if (n === 0) continue;
      if (correlated.length > 0) await prepareCorrelated(correlated, batch, context);
      const keys = this.groupBy.map((g) => evaluate(g, batch, context));
      const groups = table.assign(keys, n);
      this.aggregates.forEach((call, k) => {
        const arg = call.arg === null ? null : evaluate(call.arg, batch, context);
        let mask: Uint8Array | null = null;
        if (call.filter !== null) {
          const f = evaluate(call.filter, batch, context);
          mask = new Uint8Array(n);
          for (let i = 0; i < n; i++) mask[i] = (f.values[i] as number) & (f.validity === null ? 1 : (f.validity[i] as number));
        }
        const distinct = seen[k];
        // array_agg keeps NULLs, so its DISTINCT keeps one NULL per group too.
        if (distinct !== null && distinct !== undefined && arg !== null) mask = distinctMask(distinct, groups, arg, mask, n, call.fn === 'array_agg');
        const order = call.orderBy?.map((key) => evaluate(key.expr, batch, context));
        (states[k] as AggregateState).update(groups, n, arg, mask, order);
      });
    }
    const count = table.count;
    const keyVectors = table.keys.map((b) => b.view());
    const aggregateVectors = states.map((s) => s.finish(count));
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
}

function distinctMask(seen: Set<string>, groups: Int32Array, arg: Vector, mask: Uint8Array | null, n: number, keepNull = false): Uint8Array {
  const out = new Uint8Array(n);
  const values = arg.values as ArrayLike<unknown>;
  const keyOf = equalityKeyOf(arg.type);
  for (let i = 0; i < n; i++) {
    if (mask !== null && mask[i] === 0) continue;
    const isNull = arg.validity !== null && arg.validity[i] === 0;
    if (isNull && !keepNull) continue;
    const v = values[i];
    const key = isNull ? `${groups[i]}|\u0000null` : `${groups[i]}|${keyOf !== null ? keyOf(v as string) : String(v)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out[i] = 1;
  }
  return out;
}
