/**
 * Runs a statement's uncorrelated subqueries before its main plan, in binding order (inner ones
 * first), and keeps each result in the form its use needs.
 */
import { DbError } from '../../storage/errors.js';
import { getValue } from '../../storage/vector.js';
import { batchRows, compactBatch } from '../../storage/vector.js';
import { buildOperator } from '../../planner/physical/build.js';
import type { ExecContext } from '../../planner/physical/context.js';
import { run } from '../../planner/physical/operator.js';
import { inSetKey, type SubqueryResult } from '../../planner/kernels/eval.js';
import { equalityKeyOf } from '../../planner/physical/group-table.js';
import type { Value } from '../../storage/types.js';
import type { BoundSubquery } from './binder/bind-expr.js';

export async function runSubqueries(subplans: readonly BoundSubquery[], context: ExecContext): Promise<void> {
  for (let i = 0; i < subplans.length; i++) {
    const { plan, mode } = subplans[i] as BoundSubquery;
    context.subqueryResults[i] = await runOne(plan, mode, context);
  }
}

async function runOne(plan: BoundSubquery['plan'], mode: BoundSubquery['mode'], context: ExecContext): Promise<SubqueryResult> {
  const operator = buildOperator(plan);
  if (mode === 'exists') {
    for await (const batch of run(operator, context)) if (batchRows(batch) > 0) return { mode, value: true };
    return { mode, value: false };
  }
  if (mode === 'scalar') {
    let value: Value = null;
    let rows = 0;
    for await (const raw of run(operator, context)) {
      const batch = compactBatch(raw);
      if (batch.length === 0) continue;
      rows += batch.length;
      if (rows > 1) throw new DbError('21000', 'more than one row returned by a subquery used as an expression');
      value = getValue(batch.columns[0]!, 0);
    }
    return { mode, value };
  }
  const keys = new Set<unknown>();
  let hasNull = false;
  for await (const raw of run(operator, context)) {
    const batch = compactBatch(raw);
    const column = batch.columns[0]!;
    const values = column.values as ArrayLike<unknown>;
    const keyOf = equalityKeyOf(column.type);
    for (let r = 0; r < batch.length; r++) {
      if (column.validity !== null && column.validity[r] === 0) hasNull = true;
      else keys.add(inSetKey(values[r], keyOf));
    }
  }
  return { mode, keys, hasNull };
}
