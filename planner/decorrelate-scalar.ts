/**
 * Decorrelation of scalar aggregate subqueries: `(SELECT count(*) FROM events e WHERE e.user_id =
 * u.user_id)` becomes a LEFT JOIN of the outer input with the inner aggregate grouped by the
 * correlated keys, so `events` is aggregated once instead of once per user.
 *
 * A user with no events must still get the aggregate of no rows (count 0, sum NULL), not the
 * LEFT JOIN's NULL padding: the grouped side carries a `true` marker, and the value is
 * CASE WHEN marker IS NULL THEN <the subquery's expression over no rows> ELSE <joined value> END.
 *
 * It applies when the subquery is [a projection of] an ungrouped Aggregate over a Filter whose
 * outer-reading conjuncts are all `inner expression = outer value`, and nothing below reads the
 * outer row.
 */
import { Types } from '../storage/types.js';
import { aggregateInputs, remapColumns, transformExpr, type AggregateCall, type Expr } from './expr.js';
import type { Field, LogicalPlan } from './logical-plan.js';
import { andOf, inlineOuter, planReadsOuter, readsOuter, splitAnd } from './plan-walk.js';

type SubqueryExpr = Extract<Expr, { kind: 'Subquery' }>;
type Rewritable = Extract<LogicalPlan, { kind: 'Project' | 'Filter' }>;

/** The node with its decorrelatable scalar subqueries turned into joins below it (or unchanged). */
export function decorrelateScalars(node: Rewritable, subplans: readonly LogicalPlan[]): LogicalPlan {
  const exprs = node.kind === 'Project' ? node.exprs : [node.predicate];
  let input = node.input;
  const width = input.schema.length;
  let changed = false;
  const rewritten = exprs.map((expr) =>
    transformExpr(expr, (e) => {
      if (e.kind !== 'Subquery' || e.mode !== 'scalar' || !e.correlated) return e;
      const joined = groupedJoin(input, e, subplans);
      if (joined === null) return e;
      input = joined.plan;
      changed = true;
      return joined.value;
    }),
  );
  if (!changed) return node;
  if (node.kind === 'Project') return { ...node, input, exprs: rewritten };
  // A filter keeps its schema: the joined columns are dropped again above it.
  const filtered: LogicalPlan = { kind: 'Filter', input, predicate: rewritten[0] as Expr, schema: input.schema };
  const keep: Expr[] = node.schema.map((f, i) => ({ kind: 'Column', index: i, type: f.type }));
  return width === input.schema.length ? filtered : { kind: 'Project', input: filtered, exprs: keep, schema: node.schema };
}

function groupedJoin(outer: LogicalPlan, subquery: SubqueryExpr, subplans: readonly LogicalPlan[]): { plan: LogicalPlan; value: Expr } | null {
  let body = subplans[subquery.index];
  if (body === undefined) return null;
  // The subquery's one output expression, over the Aggregate's output.
  let output: Expr = { kind: 'Column', index: 0, type: subquery.type };
  if (body.kind === 'Project') {
    if (body.exprs.length !== 1 || readsOuter(body.exprs[0] as Expr)) return null;
    output = body.exprs[0] as Expr;
    body = body.input;
  }
  if (body.kind !== 'Aggregate' || body.groupBy.length > 0) return null;
  const aggregate = body;
  if (aggregate.groupingSets !== undefined || aggregate.aggregates.some((a) => aggregateInputs(a).some(readsOuter))) return null;
  const filter = aggregate.input;
  if (filter.kind !== 'Filter' || planReadsOuter(filter.input)) return null;
  const innerKeys: Expr[] = [];
  const outerKeys: Expr[] = [];
  const rest: Expr[] = [];
  for (const c of splitAnd(filter.predicate)) {
    if (!readsOuter(c)) {
      rest.push(c);
      continue;
    }
    const pair = equalityOnOuter(c, subquery.outer);
    if (pair === null) return null;
    innerKeys.push(pair.inner);
    outerKeys.push(pair.outer);
  }
  if (innerKeys.length === 0) return null;
  const source: LogicalPlan = rest.length === 0 ? filter.input : { kind: 'Filter', input: filter.input, predicate: andOf(rest), schema: filter.input.schema };
  const k = innerKeys.length;
  const groupFields: Field[] = innerKeys.map((e, i) => ({ name: `key${i}`, type: e.type, tableId: 0, columnNumber: 0 }));
  const grouped: LogicalPlan = {
    kind: 'Aggregate',
    input: source,
    groupBy: innerKeys,
    aggregates: aggregate.aggregates,
    schema: [...groupFields, ...aggregate.schema],
  };
  // Over the grouped output the aggregates sit k columns further right.
  const value = remapColumns(output, (i) => i + k);
  const marker: Expr = { kind: 'Literal', value: true, type: Types.bool };
  const right: LogicalPlan = {
    kind: 'Project',
    input: grouped,
    exprs: [...innerKeys.map((e, i): Expr => ({ kind: 'Column', index: i, type: e.type })), value, marker],
    schema: [...groupFields, { name: 'value', type: subquery.type, tableId: 0, columnNumber: 0 }, { name: 'matched', type: Types.bool, tableId: 0, columnNumber: 0 }],
  };
  const width = outer.schema.length;
  const condition = andOf(outerKeys.map((o, i): Expr => ({ kind: 'Call', fn: 'eq', args: [o, { kind: 'Column', index: width + i, type: (innerKeys[i] as Expr).type }], type: Types.bool })));
  const plan: LogicalPlan = { kind: 'Join', joinType: 'left', left: outer, right, condition, schema: [...outer.schema, ...right.schema] };
  const empty = overNoRows(output, aggregate.aggregates, subquery.type);
  const joinedValue: Expr = { kind: 'Column', index: width + k, type: subquery.type };
  const matched: Expr = { kind: 'Column', index: width + k + 1, type: Types.bool };
  const result: Expr = {
    kind: 'Case',
    whens: [{ when: { kind: 'IsNull', arg: matched, negated: false, type: Types.bool }, then: empty }],
    otherwise: joinedValue,
    type: subquery.type,
  };
  return { plan, value: result };
}

/** `inner = outer` (either order): the outer side reads only this level's OuterRefs and constants. */
function equalityOnOuter(c: Expr, outer: readonly Expr[]): { inner: Expr; outer: Expr } | null {
  if (c.kind !== 'Call' || c.fn !== 'eq') return null;
  const [a, b] = c.args as [Expr, Expr];
  for (const [inner, other] of [
    [a, b],
    [b, a],
  ] as const) {
    if (readsOuter(inner) || !readsOuter(other)) continue;
    const value = inlineOuter(other, outer, null);
    if (value !== null) return { inner, outer: value };
  }
  return null;
}

/** The subquery's value when no row matches: count() is 0, every other aggregate NULL. */
function overNoRows(output: Expr, aggregates: readonly AggregateCall[], type: Expr['type']): Expr {
  return transformExpr(output, (e) => {
    if (e.kind !== 'Column') return e;
    const call = aggregates[e.index];
    if (call === undefined) return { kind: 'Literal', value: null, type };
    const isCount = call.fn === 'count' || call.fn === 'count_star';
    return { kind: 'Literal', value: isCount ? 0n : null, type: call.type };
  });
}
