/**
 * LATERAL joins: the right side runs once per distinct value of the left row's `outer`
 * expressions (its OuterRefs read them), and its rows pair with every left row of that value.
 * Results are kept per value for the whole execution, so `generate_series(1, e.n)` or a top-3
 * subquery per user runs once per distinct n or user, not once per row.
 */
import { constantVector, compactBatch, takeRows, type Batch, type Vector } from '../../storage/vector.js';
import { VectorBuilder } from '../../storage/vector-builder.js';
import type { Expr } from '../expr.js';
import type { Field } from '../logical-plan.js';
import { evaluate } from '../kernels/eval.js';
import type { ExecContext } from './context.js';
import { describeExpr } from './describe.js';
import { run, type Operator } from './operator.js';
import { trueRows } from './selection.js';
import { fillPerOuterKey } from './subquery-run.js';

export class ApplyOperator implements Operator {
  readonly name = 'LateralJoin';
  readonly children: readonly Operator[];
  constructor(
    readonly left: Operator,
    readonly right: Operator,
    readonly joinType: 'inner' | 'left',
    readonly outer: readonly Expr[],
    readonly condition: Expr | null,
    readonly leftSchema: readonly Field[],
    readonly rightSchema: readonly Field[],
  ) {
    this.children = [left, right];
  }

  describe(): string {
    const leftNames = this.leftSchema.map((f) => f.name);
    const names = [...leftNames, ...this.rightSchema.map((f) => f.name)];
    const condition = this.condition === null ? '' : ` filter: ${describeExpr(this.condition, names)}`;
    return `${this.joinType} for ${this.outer.map((e) => describeExpr(e, leftNames)).join(', ')}${condition}`;
  }

  async *execute(context: ExecContext): AsyncIterable<Batch> {
    const results = new Map<string, Batch>();
    for await (const raw of run(this.left, context)) {
      const left = compactBatch(raw);
      const keys = await fillPerOuterKey(this.outer, left, context, results, (child) => this.collect(child));
      const joined = this.pair(left, keys, results);
      const matched = new Uint8Array(left.length);
      let out: Batch | null = joined.batch;
      if (this.condition !== null && joined.batch.length > 0) {
        const rows = trueRows(evaluate(this.condition, joined.batch, context), joined.batch.length);
        if (rows !== null) {
          out = rows.length === 0 ? null : { length: rows.length, columns: joined.batch.columns.map((c) => takeRows(c, rows)), selection: null };
          for (const i of rows) matched[joined.leftRows[i] as number] = 1;
        } else for (const i of joined.leftRows) matched[i] = 1;
      } else for (const i of joined.leftRows) matched[i] = 1;
      if (out !== null && out.length > 0) yield out;
      if (this.joinType === 'left') {
        const unmatched: number[] = [];
        for (let i = 0; i < left.length; i++) if (matched[i] === 0) unmatched.push(i);
        if (unmatched.length > 0) {
          const rows = Int32Array.from(unmatched);
          const nulls: Vector[] = this.rightSchema.map((f) => constantVector(f.type, null, rows.length));
          yield { length: rows.length, columns: [...left.columns.map((c) => takeRows(c, rows)), ...nulls], selection: null };
        }
      }
    }
  }

  /** The right side's rows for one outer value, as one dense batch. */
  private async collect(context: ExecContext): Promise<Batch> {
    const builders = this.rightSchema.map((f) => new VectorBuilder(f.type));
    let length = 0;
    for await (const raw of run(this.right, context)) {
      const batch = compactBatch(raw);
      batch.columns.forEach((c, i) => (builders[i] as VectorBuilder).appendVector(c));
      length += batch.length;
    }
    return { length, columns: builders.map((b) => b.view()), selection: null };
  }

  /** Every left row next to each right row of its outer value. */
  private pair(left: Batch, keys: readonly string[], results: ReadonlyMap<string, Batch>): { batch: Batch; leftRows: Int32Array } {
    let total = 0;
    for (let r = 0; r < left.length; r++) total += (results.get(keys[r] as string) as Batch).length;
    const leftRows = new Int32Array(total);
    const builders = this.rightSchema.map((f) => new VectorBuilder(f.type, total));
    let k = 0;
    for (let r = 0; r < left.length; r++) {
      const right = results.get(keys[r] as string) as Batch;
      if (right.length === 0) continue;
      leftRows.fill(r, k, k + right.length);
      k += right.length;
      right.columns.forEach((c, i) => (builders[i] as VectorBuilder).appendVector(c));
    }
    const columns = [...left.columns.map((c) => takeRows(c, leftRows)), ...builders.map((b) => b.view())];
    return { batch: { length: total, columns, selection: null }, leftRows };
  }
}
