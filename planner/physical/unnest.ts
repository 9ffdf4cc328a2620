/**
 * Unnest: a set-returning function over each input row. Per batch the argument is evaluated
 * once, each row expands into its produced rows, and the input columns are gathered by row
 * index next to the function's new columns.
 */
import { takeRows, compactBatch, getValue, type Batch, type Vector } from '../../storage/vector.js';
import { VectorBuilder } from '../../storage/vector-builder.js';
import type { DataType } from '../../storage/types.js';
import type { Expr } from '../expr.js';
import type { SetFunction } from '../logical-plan.js';
import { evaluate } from '../kernels/eval.js';
import { expandSetFunction } from '../kernels/set-functions.js';
import type { ExecContext } from './context.js';
import { describeExpr } from './describe.js';
import { run, type Operator } from './operator.js';

export class UnnestOperator implements Operator {
  readonly name = 'ProjectSet';
  readonly children: readonly Operator[];
  constructor(
    readonly input: Operator,
    readonly fn: SetFunction,
    readonly arg: Expr,
    readonly outputTypes: readonly DataType[],
    readonly inputNames: readonly string[],
  ) {
    this.children = [input];
  }

  describe(): string {
    return `${this.fn}(${describeExpr(this.arg, this.inputNames)})`;
  }

  async *execute(context: ExecContext): AsyncIterable<Batch> {
    for await (const raw of run(this.input, context)) {
      const batch = compactBatch(raw);
      if (batch.length === 0) continue;
      const arg = evaluate(this.arg, batch, context);
      const sources: number[] = [];
      const builders = this.outputTypes.map((t) => new VectorBuilder(t));
      for (let i = 0; i < batch.length; i++) {
        if (arg.validity !== null && arg.validity[i] === 0) continue;
        for (const row of expandSetFunction(this.fn, arg.type, getValue(arg, i))) {
          sources.push(i);
          row.forEach((v, k) => (builders[k] as VectorBuilder).appendValue(v));
        }
      }
      if (sources.length === 0) continue;
      const rows = Int32Array.from(sources);
      const columns: Vector[] = [...batch.columns.map((c) => takeRows(c, rows)), ...builders.map((b) => b.view())];
      yield { length: rows.length, columns, selection: null };
    }
  }
}
