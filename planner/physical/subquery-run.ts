/**
 * Running subqueries: once before a statement (uncorrelated), or once per distinct outer key of a
 * batch (correlated), just before the operator that holds the expression evaluates it.
 *
 * A correlated run gets a child context: its outer values pushed on the stack OuterRefs read, and
 * a fresh result cache for the correlated subqueries nested in it (their keys are only valid
 * within this run). Results are cached per statement execution by key, so a subquery keyed by
 * user_id runs once per user, however many rows carry that user.
 */
import { DbError } from '../../storage/errors.js';
import type { Value } from '../../storage/types.js';
import { batchRows, compactBatch, getValue, type Batch } from '../../storage/vector.js';
import { forEachExpr, type Expr, type SubqueryMode } from '../expr.js';
import type { LogicalPlan } from '../logical-plan.js';
import { evaluate } from '../kernels/eval.js';
import { inSetKey, outerRowKeys, valueOrder, type SubqueryResult } from '../kernels/subquery-eval.js';
import { equalityKeyOf } from '../kernels/equality-key.js';
import { buildOperator } from './build.js';
import type { ExecContext } from './context.js';
import { run } from './operator.js';

type SubqueryExpr = Extract<Expr, { kind: 'Subquery' }>;

export async function runSubquery(plan: LogicalPlan, mode: SubqueryMode, context: ExecContext): Promise<SubqueryResult> {
  const operator = buildOperator(plan);
  if (mode === 'exists') {
    for await (const batch of run(operator, context)) if (batchRows(batch) > 0) return { mode, value: true };
    return { mode, value: false };
  }
  if (mode === 'array') return { mode: 'scalar', value: await arrayOf(operator, context) };
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
  let min: number | bigint | string | null = null;
  let max: number | bigint | string | null = null;
  for await (const raw of run(operator, context)) {
    const batch = compactBatch(raw);
    const column = batch.columns[0]!;
    const values = column.values as ArrayLike<number | bigint | string>;
    const keyOf = equalityKeyOf(column.type);
    const order = valueOrder(column.type);
    for (let r = 0; r < batch.length; r++) {
      if (column.validity !== null && column.validity[r] === 0) {
        hasNull = true;
        continue;
      }
      const v = values[r] as number | bigint | string;
      keys.add(inSetKey(v, keyOf));
      if (mode === 'in') continue;
      if (min === null || order(v, min) < 0) min = v;
      if (max === null || order(v, max) > 0) max = v;
    }
  }
  // IN needs only the set; a non-empty set stands in for the extremes there.
  if (mode === 'in' && keys.size > 0) min = max = 0;
  return { mode, keys, min, max, hasNull };
}

/** ARRAY(SELECT ...): the column's values in array_out's text form, NULL elements as NULL. */
async function arrayOf(operator: ReturnType<typeof buildOperator>, context: ExecContext): Promise<string> {
  const elements: string[] = [];
  for await (const raw of run(operator, context)) {
    const batch = compactBatch(raw);
    const column = batch.columns[0]!;
    for (let r = 0; r < batch.length; r++) {
      const value = getValue(column, r);
      if (value === null) {
        elements.push('NULL');
        continue;
      }
      const text = String(value);
      const plain = text !== '' && !/[{},"\\\s]/.test(text) && text.toUpperCase() !== 'NULL';
      elements.push(plain ? text : `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`);
    }
  }
  return `{${elements.join(',')}}`;
}

/** The correlated subqueries of an operator's expressions (not those nested in their plans). */
export function correlatedIn(exprs: readonly (Expr | null)[]): SubqueryExpr[] {
  const found: SubqueryExpr[] = [];
  for (const expr of exprs) {
    if (expr === null) continue;
    forEachExpr(expr, (e) => {
      if (e.kind === 'Subquery' && e.correlated) found.push(e);
    });
  }
  return found;
}

/** Runs each correlated subquery for the outer keys of `batch` (dense) not seen yet. */
export async function prepareCorrelated(subqueries: readonly SubqueryExpr[], batch: Batch, context: ExecContext): Promise<void> {
  const plans = context.subqueryPlans;
  const cacheByExpr = context.correlatedResults;
  if (plans === undefined || cacheByExpr === undefined) throw new Error('correlated subqueries need subqueryPlans and correlatedResults in the context');
  for (const subquery of subqueries) {
    let cache = cacheByExpr.get(subquery);
    if (cache === undefined) cacheByExpr.set(subquery, (cache = new Map()));
    const plan = plans[subquery.index];
    if (plan === undefined) throw new Error(`subquery ${subquery.index} has no plan`);
    await fillPerOuterKey(subquery.outer, batch, context, cache, (child) => runSubquery(plan, subquery.mode, child));
  }
}

/**
 * The outer key of each row of `batch` (dense); for each key not in `cache` yet, `compute` runs
 * in a child context that has the row's outer values on the stack OuterRefs read, and a fresh
 * cache for the correlated subqueries nested in it.
 */
export async function fillPerOuterKey<T>(
  outer: readonly Expr[],
  batch: Batch,
  context: ExecContext,
  cache: Map<string, T>,
  compute: (child: ExecContext) => Promise<T>,
): Promise<string[]> {
  const vectors = outer.map((e) => evaluate(e, batch, context));
  const keys = outerRowKeys(vectors, batch.length);
  for (let r = 0; r < batch.length; r++) {
    const key = keys[r] as string;
    if (cache.has(key)) continue;
    const values = vectors.map((v) => getValue(v, r));
    const child: ExecContext = { ...context, outerValues: [...(context.outerValues ?? []), values], correlatedResults: new Map() };
    cache.set(key, await compute(child));
  }
  return keys;
}
