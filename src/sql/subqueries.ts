/**
 * Runs a statement's uncorrelated subqueries before its main plan, in binding order (inner ones
 * first), and keeps each result in the form its use needs. Correlated ones run while the plan
 * runs (planner/physical/subquery-run.ts); their plans are handed to the context here.
 */
import type { ExecContext } from '../../planner/physical/context.js';
import { runSubquery } from '../../planner/physical/subquery-run.js';
import type { BoundSubquery } from './binder/bind-expr.js';

/** The context for a statement with these subqueries: plans for correlated runs, a result cache. */
export function withSubqueries(context: ExecContext, subplans: readonly BoundSubquery[]): ExecContext {
  if (!subplans.some((s) => s.correlated)) return context;
  return { ...context, subqueryPlans: subplans.map((s) => s.plan), correlatedResults: new Map() };
}

export async function runSubqueries(subplans: readonly BoundSubquery[], context: ExecContext): Promise<void> {
  for (let i = 0; i < subplans.length; i++) {
    const { plan, mode, correlated } = subplans[i] as BoundSubquery;
    if (!correlated) context.subqueryResults[i] = await runSubquery(plan, mode, context);
  }
}
