/**
 * Subqueries in expressions: (SELECT ...), EXISTS, IN, op ANY/ALL, uncorrelated or correlated.
 *
 * A column a subquery cannot resolve in its own FROM is looked up in the queries around it,
 * innermost first. Such a reference binds to an OuterRef that reads one slot of the enclosing
 * subquery expression's `outer` list (column references over the enclosing query's input); the
 * subquery is then run once per distinct value of that list (planner/physical/correlated.ts).
 * Over an aggregation the outer reference must be a GROUP BY expression, as in PostgreSQL.
 */
import { DbError, featureNotSupported, undefinedOperator } from '../../../storage/errors.js';
import { Types } from '../../../storage/types.js';
import { exprKey, type Expr, type QuantifiedComparison, type SubqueryMode } from '../../../planner/expr.js';
import type { Field, LogicalPlan } from '../../../planner/logical-plan.js';
import type * as Ast from '../ast.js';
import { commonType } from './coercion.js';
import type { AggregateScope, ExprBinder } from './bind-expr.js';
import { positionOf, typeLabel } from './bind-expr.js';
import type { Scope } from './scope.js';
import { arrayTypeOf } from './bind-system.js';

/** What one subquery expression reads from the query around it, filled while its body binds. */
export interface Correlation {
  /** Expressions over the enclosing query's input; OuterRef slots index this list. */
  readonly outer: Expr[];
  /** Set when the body reads this level or one further out (then it cannot run just once). */
  correlated: boolean;
  /** Over an aggregation: the outer column as a reference to its GROUP BY output. */
  readonly mapOuter: ((column: Expr, parts: readonly string[], position: number | undefined) => Expr) | null;
}

/**
 * Resolves a column that the query's own scope does not have in the scopes around it; null when
 * none has it either. `outerScopes[j]` pairs with `correlations[j]`, innermost last.
 */
export function resolveOuterColumn(
  parts: readonly string[],
  position: number | undefined,
  outerScopes: readonly Scope[],
  correlations: readonly Correlation[],
): Expr | null {
  for (let j = outerScopes.length - 1; j >= 0; j--) {
    const scope = outerScopes[j] as Scope;
    if (!scope.has(parts)) continue;
    const column = scope.resolve(parts, position);
    const correlation = correlations[j];
    if (correlation === undefined) throw featureNotSupported('correlated subqueries here').withPosition(position);
    // Every subquery between the reference and the scope that holds the column depends on it.
    for (let k = j; k < correlations.length; k++) (correlations[k] as Correlation).correlated = true;
    let expr: Expr = { kind: 'Column', index: column.index, type: column.type };
    if (correlation.mapOuter !== null) expr = correlation.mapOuter(expr, parts, position);
    const key = exprKey(expr);
    let slot = correlation.outer.findIndex((e) => exprKey(e) === key);
    if (slot < 0) slot = correlation.outer.push(expr) - 1;
    return { kind: 'OuterRef', depth: outerScopes.length - j, slot, type: column.type };
  }
  return null;
}

/** An outer column referenced from a subquery above GROUP BY must be grouped (42803). */
function groupKeyMapper(aggregate: AggregateScope): Correlation['mapOuter'] {
  return (column, parts, position) => {
    const key = exprKey(column);
    const group = aggregate.groupBy.findIndex((g) => exprKey(g) === key);
    if (group < 0) {
      throw new DbError('42803', `subquery uses ungrouped column "${parts.join('.')}" from outer query`).withPosition(position);
    }
    return { kind: 'Column', index: group, type: column.type };
  };
}

const quantified: Record<string, QuantifiedComparison> = { '=': 'eq', '<>': 'ne', '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge' };

/**
 * The same subquery text bound twice (a GROUP BY ordinal and its select-list target) must give
 * the same expression, or the target would not be recognised as the group key.
 */
const boundSubqueries = new WeakMap<Ast.Expr, { scope: Scope; expr: Expr }>();

export function bindSubqueryExpr(binder: ExprBinder, ast: Extract<Ast.Expr, { kind: 'subquery' }>): Expr {
  if (binder.aggregateScope !== null) return bindSubqueryOnce(binder, ast);
  const seen = boundSubqueries.get(ast);
  if (seen !== undefined && seen.scope === binder.scope) return seen.expr;
  const expr = bindSubqueryOnce(binder, ast);
  boundSubqueries.set(ast, { scope: binder.scope, expr });
  return expr;
}

function bindSubqueryOnce(binder: ExprBinder, ast: Extract<Ast.Expr, { kind: 'subquery' }>): Expr {
  const at = positionOf(ast.location);
  const context = binder.context;
  const bindQuery = context.bindSubquery;
  if (bindQuery === undefined) throw featureNotSupported(`subqueries in ${binder.place}`).withPosition(at);
  // The tested expression first: a row constructor there is refused before the column count.
  const tested = ast.arg === null ? null : binder.bind(ast.arg);
  const correlation: Correlation = {
    outer: [],
    correlated: false,
    mapOuter: binder.aggregateScope === null ? null : groupKeyMapper(binder.aggregateScope),
  };
  let plan = bindQuery(ast.query, binder.scope, correlation);
  const add = (mode: SubqueryMode, subplan: LogicalPlan, arg: Expr | null, op: QuantifiedComparison | null, type: Expr['type']): Expr => {
    const index = context.subqueries.push({ plan: subplan, mode, op, correlated: correlation.correlated }) - 1;
    return { kind: 'Subquery', index, mode, arg, op, outer: correlation.outer, correlated: correlation.correlated, type };
  };
  if (ast.mode === 'exists') return add('exists', plan, null, null, Types.bool);
  if (plan.schema.length !== 1) {
    throw new DbError('42601', plan.schema.length > 1 ? 'subquery has too many columns' : 'subquery must return only one column').withPosition(at);
  }
  const field = plan.schema[0] as Field;
  if (ast.mode === 'scalar') return add('scalar', plan, null, null, field.type);
  if (ast.mode === 'array') {
    const arrayType = arrayTypeOf(field.type);
    if (arrayType === null) throw featureNotSupported(`ARRAY(subquery) of type ${typeLabel(field.type)}`).withPosition(at);
    return add('array', plan, null, null, arrayType);
  }
  const arg = tested as Expr;
  const type = commonType(arg.type, field.type);
  if (type === null) throw undefinedOperator(`${typeLabel(arg.type)} ${ast.op} ${typeLabel(field.type)}`).withPosition(at);
  if (field.type.id !== type.id) {
    const column: Expr = { kind: 'Column', index: 0, type: field.type };
    plan = { kind: 'Project', input: plan, exprs: [binder.coerce(column, type, 'implicit', ast.location)], schema: [{ ...field, type }] };
  }
  const coerced = binder.coerce(arg, type, 'implicit', ast.location);
  if (ast.mode === 'in') return add('in', plan, coerced, 'eq', Types.bool);
  // x <> ALL (...) is NOT (x IN (...)), with the same NULL rules; the rest compare value by value.
  const op = quantified[ast.op] as QuantifiedComparison;
  if (ast.mode === 'all' && op === 'ne') return { kind: 'Not', arg: add('in', plan, coerced, 'eq', Types.bool), type: Types.bool };
  if (ast.mode === 'any' && op === 'eq') return add('in', plan, coerced, 'eq', Types.bool);
  return add(ast.mode, plan, coerced, op, Types.bool);
}
