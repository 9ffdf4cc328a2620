/** Small walks over plans and predicates shared by the rewrites: conjuncts, outer references. */
import { Types } from '../storage/types.js';
import { aggregateInputs, forEachExpr, mapChildExprs, type Expr } from './expr.js';
import { childPlans, type LogicalPlan } from './logical-plan.js';
import { windowCallExprs } from './window-call.js';

export function splitAnd(expr: Expr): Expr[] {
  return expr.kind === 'And' ? expr.args.flatMap(splitAnd) : [expr];
}

export function andOf(list: readonly Expr[]): Expr {
  return list.length === 1 ? (list[0] as Expr) : { kind: 'And', args: [...list], type: Types.bool };
}

export function readsOuter(expr: Expr): boolean {
  let found = false;
  forEachExpr(expr, (e) => {
    if (e.kind === 'OuterRef' || (e.kind === 'Subquery' && e.correlated)) found = true;
  });
  return found;
}

export function readsCorrelated(expr: Expr): boolean {
  let found = false;
  forEachExpr(expr, (e) => {
    if (e.kind === 'Subquery' && e.correlated) found = true;
  });
  return found;
}

/** Whether any expression in the plan reads an enclosing query's row. */
export function planReadsOuter(plan: LogicalPlan): boolean {
  if (planExprs(plan).some(readsOuter)) return true;
  if (plan.kind === 'RecursiveUnion') return planReadsOuter(plan.initial) || planReadsOuter(plan.recursive);
  return childPlans(plan).some(planReadsOuter);
}

export function planExprs(plan: LogicalPlan): Expr[] {
  switch (plan.kind) {
    case 'Scan':
      return plan.filter === null ? [] : [plan.filter];
    case 'Values':
      return plan.rows.flat();
    case 'Series':
      return [plan.start, plan.stop, ...(plan.step === null ? [] : [plan.step])];
    case 'Filter':
      return [plan.predicate];
    case 'Project':
      return [...plan.exprs];
    case 'Aggregate':
      return [...plan.groupBy, ...plan.aggregates.flatMap(aggregateInputs)];
    case 'Window':
      return [...plan.partitionBy, ...plan.orderBy.map((k) => k.expr), ...plan.calls.flatMap(windowCallExprs)];
    case 'Sort':
      return plan.keys.map((k) => k.expr);
    case 'Limit':
      return [plan.limit, plan.offset].filter((e): e is Expr => e !== null);
    case 'Join':
      return plan.condition === null ? [] : [plan.condition];
    case 'Apply':
      return [...plan.outer, ...(plan.condition === null ? [] : [plan.condition])];
    case 'Series':
      return [plan.start, plan.stop, ...(plan.step === null ? [] : [plan.step])];
    case 'Unnest':
      return [plan.arg];
    case 'Distinct':
    case 'DistinctOn':
    case 'WorkTable':
    case 'RecursiveUnion':
    case 'SetOp':
    case 'Insert':
      return [];
  }
}

/**
 * `expr` with this level's OuterRefs (depth 1) replaced by the subquery's `outer` expressions
 * and its own columns mapped by `column` (null: a column may not appear). Null when it holds a
 * subquery, reads a level further out or has a column where none may be: what a join cannot say.
 */
export function inlineOuter(expr: Expr, outer: readonly Expr[], column: ((e: Extract<Expr, { kind: 'Column' }>) => Expr) | null): Expr | null {
  let ok = true;
  const rewrite = (e: Expr): Expr => {
    switch (e.kind) {
      case 'OuterRef':
        if (e.depth !== 1) ok = false;
        return (outer[e.slot] as Expr | undefined) ?? e;
      case 'Column':
        if (column === null) ok = false;
        return column === null ? e : column(e);
      case 'Subquery':
        ok = false;
        return e;
      default:
        return mapChildExprs(e, rewrite);
    }
  };
  const out = rewrite(expr);
  return ok ? out : null;
}
