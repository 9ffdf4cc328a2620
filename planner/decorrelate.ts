/**
 * Decorrelation: a correlated EXISTS, NOT EXISTS or IN in a WHERE conjunct becomes a semi or anti
 * hash join, so `EXISTS (SELECT 1 FROM events p WHERE p.user_id = e.user_id AND p.event_time >
 * e.event_time)` reads `events` once instead of once per outer row. The subquery qualifies when
 * it is (projections over) a Filter whose input reads nothing from outside; the Filter's
 * conjuncts that read the outer row become the join condition (equalities become hash keys, the
 * rest a residual). Scalar aggregate subqueries become LEFT JOINs (decorrelate-scalar.ts).
 * Anything else keeps running per outer key (planner/physical/subquery-run.ts).
 */
import { Types } from '../storage/types.js';
import { remapColumns, type Expr } from './expr.js';
import { decorrelateScalars } from './decorrelate-scalar.js';
import { andOf, inlineOuter, planReadsOuter, readsCorrelated, readsOuter, splitAnd } from './plan-walk.js';
import { childPlans, type LogicalPlan } from './logical-plan.js';

type SubqueryExpr = Extract<Expr, { kind: 'Subquery' }>;

/** Rewrites the plan's decorrelatable subquery conjuncts; `subplans` are the statement's by index. */
export function decorrelate(plan: LogicalPlan, subplans: readonly LogicalPlan[]): LogicalPlan {
  const children = childPlans(plan).map((child) => decorrelate(child, subplans));
  let node = withChildren(plan, children);
  if (node.kind === 'Filter') node = semiJoins(node, subplans);
  if (node.kind === 'Project' || node.kind === 'Filter') node = decorrelateScalars(node, subplans);
  return node;
}

function semiJoins(node: Extract<LogicalPlan, { kind: 'Filter' }>, subplans: readonly LogicalPlan[]): LogicalPlan {
  const conjuncts = splitAnd(node.predicate);
  const plain: Expr[] = [];
  const joins: { subquery: SubqueryExpr; anti: boolean }[] = [];
  for (const c of conjuncts) {
    const negated = c.kind === 'Not' && c.arg.kind === 'Subquery' && c.arg.mode === 'exists';
    const subquery = negated ? (c as { arg: Expr }).arg : c;
    if (subquery.kind === 'Subquery' && subquery.correlated && (subquery.mode === 'exists' || subquery.mode === 'in')) {
      joins.push({ subquery, anti: negated });
    } else plain.push(c);
  }
  if (joins.length === 0) return node;
  let input = node.input;
  const rest: Expr[] = [];
  // Plain conjuncts first (cheaper, and they may be pushed into the scan), then one join per subquery.
  const uncorrelated = plain.filter((c) => !readsCorrelated(c));
  rest.push(...plain.filter((c) => readsCorrelated(c)));
  if (uncorrelated.length > 0) input = { kind: 'Filter', input, predicate: andOf(uncorrelated), schema: input.schema };
  for (const { subquery, anti } of joins) {
    const joined = semiJoin(input, subquery, anti, subplans);
    if (joined === null) rest.push(anti ? { kind: 'Not', arg: subquery, type: Types.bool } : subquery);
    else input = joined;
  }
  return rest.length === 0 ? input : { kind: 'Filter', input, predicate: andOf(rest), schema: input.schema };
}

function semiJoin(outer: LogicalPlan, subquery: SubqueryExpr, anti: boolean, subplans: readonly LogicalPlan[]): LogicalPlan | null {
  let body = subplans[subquery.index];
  if (body === undefined) return null;
  // EXISTS ignores what the subquery selects; IN compares its one output expression.
  let output: Expr | null = null;
  if (subquery.mode === 'in') {
    if (body.kind !== 'Project' || body.exprs.length !== 1) return null;
    output = body.exprs[0] as Expr;
    body = body.input;
  } else {
    while (body.kind === 'Project') body = body.input;
  }
  if (body.kind !== 'Filter' || planReadsOuter(body.input)) return null;
  if (output !== null && readsOuter(output)) return null;
  const width = outer.schema.length;
  const inner: Expr[] = [];
  const condition: Expr[] = [];
  for (const c of splitAnd(body.predicate)) {
    if (!readsOuter(c)) {
      inner.push(c);
      continue;
    }
    // Inner columns shift past the outer ones; OuterRef(1, slot) becomes the outer expression.
    const moved = inlineOuter(c, subquery.outer, (e) => ({ ...e, index: e.index + width }));
    if (moved === null) return null;
    condition.push(moved);
  }
  if (output !== null && subquery.arg !== null) {
    condition.push({ kind: 'Call', fn: 'eq', args: [subquery.arg, remapColumns(output, (i) => i + width)], type: Types.bool });
  }
  const right: LogicalPlan = inner.length === 0 ? body.input : { kind: 'Filter', input: body.input, predicate: andOf(inner), schema: body.input.schema };
  return { kind: 'Join', joinType: anti ? 'anti' : 'semi', left: outer, right, condition: condition.length === 0 ? null : andOf(condition), schema: outer.schema };
}

function withChildren(plan: LogicalPlan, children: readonly LogicalPlan[]): LogicalPlan {
  const old = childPlans(plan);
  if (old.every((c, i) => c === children[i])) return plan;
  if (plan.kind === 'Join' || plan.kind === 'SetOp' || plan.kind === 'Apply') return { ...plan, left: children[0] as LogicalPlan, right: children[1] as LogicalPlan };
  return { ...plan, input: children[0] } as LogicalPlan;
}
