/** The streaming operators that keep no state across batches: Filter, Project, Values, Limit. */
import { DbError } from '../../storage/errors.js';
import { VectorBuilder } from '../../storage/vector-builder.js';
import { batchRows, compactBatch, sliceBatch, type Batch, type Vector } from '../../storage/vector.js';
import type { Expr } from '../expr.js';
import type { Field } from '../logical-plan.js';
import { evaluate, evaluateConstant } from '../kernels/eval.js';
import { BatchProjector } from '../kernels/compile-project.js';
import type { ExecContext } from './context.js';
import { describeExpr } from './describe.js';
import { run, type Operator } from './operator.js';
import { applyPredicate, BatchFilter } from './selection.js';
import { correlatedIn, prepareCorrelated } from './subquery-run.js';
import { valuesColumns } from './values-columns.js';

export class FilterOperator implements Operator {
  readonly name = 'Filter';
  readonly children: readonly Operator[];
  constructor(readonly input: Operator, readonly predicate: Expr, readonly inputNames: readonly string[]) {
    this.children = [input];
  }
  describe(): string {
    return describeExpr(this.predicate, this.inputNames);
  }
  async *execute(context: ExecContext): AsyncIterable<Batch> {
    const correlated = correlatedIn([this.predicate]);
    const compiled = correlated.length === 0 ? new BatchFilter(this.predicate, context) : null;
    for await (const batch of run(this.input, context)) {
      if (compiled !== null) {
        const kept = compiled.apply(batch);
        if (kept !== null) yield kept;
        continue;
      }
      const dense = compactBatch(batch);
      if (correlated.length > 0) await prepareCorrelated(correlated, dense, context);
      const survivors = applyPredicate(dense, evaluate(this.predicate, dense, context));
      if (survivors !== null) yield survivors;
    }
  }
}

export class ProjectOperator implements Operator {
  readonly name = 'Project';
  readonly children: readonly Operator[];
  constructor(readonly input: Operator, readonly exprs: readonly Expr[], readonly inputNames: readonly string[]) {
    this.children = [input];
  }
  describe(): string {
    return this.exprs.map((e) => describeExpr(e, this.inputNames)).join(', ');
  }
  async *execute(context: ExecContext): AsyncIterable<Batch> {
    const passThrough = this.exprs.every((e) => e.kind === 'Column');
    const correlated = correlatedIn(this.exprs);
    const projector = correlated.length === 0 ? new BatchProjector(this.exprs, context) : null;
    for await (const batch of run(this.input, context)) {
      if (passThrough) {
        // Column references only: rearrange vectors, keep the selection, copy nothing.
        yield { length: batch.length, columns: this.exprs.map((e) => batch.columns[(e as { index: number }).index]!), selection: batch.selection };
        continue;
      }
      if (projector !== null) {
        yield projector.project(batch);
        continue;
      }
      const dense = compactBatch(batch);
      if (correlated.length > 0) await prepareCorrelated(correlated, dense, context);
      yield { length: dense.length, columns: this.exprs.map((e) => evaluate(e, dense, context)), selection: null };
    }
  }
}

/** VALUES rows (also the one empty row of a SELECT without FROM). */
export class ValuesOperator implements Operator {
  readonly name = 'Values';
  readonly children: readonly Operator[] = [];
  constructor(readonly rows: readonly (readonly Expr[])[], readonly schema: readonly Field[]) {}
  describe(): string {
    return `${this.rows.length} row${this.rows.length === 1 ? '' : 's'}`;
  }
  async *execute(context: ExecContext): AsyncIterable<Batch> {
    let columns: Vector[];
    try {
      columns = valuesColumns(this.rows, this.schema.map((f) => f.type), context);
    } catch {
      columns = this.rowWise(context);
    }
    yield { length: this.rows.length, columns, selection: null };
  }
  /** Row by row, as PostgreSQL evaluates: reports the first bad value in row order. */
  private rowWise(context: ExecContext): Vector[] {
    const builders = this.schema.map((f) => new VectorBuilder(f.type, this.rows.length));
    for (const row of this.rows) {
      row.forEach((expr, c) => (builders[c] as VectorBuilder).appendValue(evaluateConstant(expr, context)));
    }
    return builders.map((b) => b.view());
  }
}

export class LimitOperator implements Operator {
  readonly name = 'Limit';
  readonly children: readonly Operator[];
  constructor(readonly input: Operator, readonly limit: Expr | null, readonly offset: Expr | null) {
    this.children = [input];
  }
  describe(): string {
    return `${this.limit ? `limit ${describeExpr(this.limit, [])}` : ''}${this.offset ? ` offset ${describeExpr(this.offset, [])}` : ''}`.trim();
  }
  async *execute(context: ExecContext): AsyncIterable<Batch> {
    const limitValue = this.limit === null ? null : evaluateConstant(this.limit, context);
    const offsetValue = this.offset === null ? null : evaluateConstant(this.offset, context);
    const limit = limitValue === null ? Infinity : Number(limitValue);
    let skip = offsetValue === null ? 0 : Number(offsetValue);
    if (limit < 0) throw new DbError('2201W', 'LIMIT must not be negative');
    if (skip < 0) throw new DbError('2201X', 'OFFSET must not be negative');
    let remaining = limit;
    if (remaining === 0) return;
    for await (const batch of run(this.input, context)) {
      const n = batchRows(batch);
      if (skip >= n) {
        skip -= n;
        continue;
      }
      const end = Math.min(n, skip + remaining);
      yield skip === 0 && end === n ? batch : sliceBatch(batch, skip, end);
      remaining -= end - skip;
      skip = 0;
      if (remaining <= 0) return;
    }
  }
}
