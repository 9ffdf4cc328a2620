/** Turns a boolean predicate vector into a selection of live rows, composing with an existing one. */
import { compactBatch, type Batch, type Vector } from '../../storage/vector.js';
import type { Expr } from '../expr.js';
import { compilePredicate, PredicateRunner } from '../kernels/compile.js';
import { evaluate, type EvalContext } from '../kernels/eval.js';

/** Rows where the predicate is true (not false, not NULL), as indexes into the predicate. */
export function trueRows(predicate: Vector, length: number): Int32Array | null {
  const values = predicate.values as Uint8Array;
  const validity = predicate.validity;
  let count = 0;
  if (validity === null) for (let i = 0; i < length; i++) count += values[i] as number;
  else for (let i = 0; i < length; i++) count += (values[i] as number) & (validity[i] as number);
  if (count === length) return null;
  const out = new Int32Array(count);
  let k = 0;
  for (let i = 0; i < length; i++) {
    if (values[i] === 1 && (validity === null || validity[i] === 1)) out[k++] = i;
  }
  return out;
}

/** Applies a predicate evaluated over a dense batch; returns null when no row survives. */
export function applyPredicate(batch: Batch, predicate: Vector): Batch | null {
  const rows = trueRows(predicate, batch.length);
  if (rows === null) return batch;
  if (rows.length === 0) return null;
  return { length: batch.length, columns: batch.columns, selection: rows };
}

/**
 * A filter for the batches of one execution: the compiled kernel (planner/kernels/compile.ts) when
 * the predicate has a compiled shape, which honours an incoming selection without copying, else
 * (or for a batch the kernel hands back) the interpreter over the compacted batch.
 */
export class BatchFilter {
  private readonly runner: PredicateRunner | null;

  constructor(
    readonly predicate: Expr,
    private readonly context: EvalContext,
  ) {
    const compiled = compilePredicate(predicate);
    this.runner = compiled === null ? null : new PredicateRunner(compiled, context);
  }

  /** The batch's rows where the predicate is TRUE; null when none survives. */
  apply(batch: Batch): Batch | null {
    const rows = this.runner === null ? undefined : this.runner.select(batch);
    if (rows === undefined) {
      const dense = compactBatch(batch);
      return applyPredicate(dense, evaluate(this.predicate, dense, this.context));
    }
    if (rows === null) return batch;
    if (rows.length === 0) return null;
    return { length: batch.length, columns: batch.columns, selection: rows };
  }
}
