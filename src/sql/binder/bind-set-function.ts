/**
 * Set-returning functions (unnest, jsonb_array_elements(_text), jsonb_object_keys,
 * jsonb_each(_text)) as Unnest plans. In FROM they may read the FROM items before them, as
 * PostgreSQL lets functions in FROM do (implicit LATERAL); in a select list without aggregation
 * one such call at the top of a target expands the rows before the targets are computed.
 */
import { DbError, featureNotSupported } from '../../../storage/errors.js';
import { elementType, Types } from '../../../storage/types.js';
import type { Expr } from '../../../planner/expr.js';
import type { Field, LogicalPlan, SetFunction } from '../../../planner/logical-plan.js';
import { setFunctionColumns } from '../../../planner/kernels/set-functions.js';
import type * as Ast from '../ast.js';
import { ExprBinder, positionOf, typeLabel, type BindContext } from './bind-expr.js';
import { Scope, type ScopeTable } from './scope.js';
import { bindFromFunction } from './bind-from-function.js';
import type { Correlation } from './bind-subquery.js';

const setFunctions: ReadonlySet<string> = new Set<SetFunction>([
  'unnest', 'jsonb_array_elements', 'jsonb_array_elements_text', 'jsonb_object_keys', 'jsonb_each', 'jsonb_each_text',
]);

export function isSetFunctionCall(ast: Ast.Expr): ast is Extract<Ast.Expr, { kind: 'call' }> {
  return ast.kind === 'call' && (ast.schema === null || ast.schema === 'pg_catalog') && setFunctions.has(ast.name) && !ast.hasOver;
}

/** The Unnest node of `call` over `input`, its argument bound in `scope` (the input's names). */
function unnestOver(call: Extract<Ast.Expr, { kind: 'call' }>, input: LogicalPlan, scope: Scope, context: BindContext): { plan: LogicalPlan; columns: { name: string; type: Field['type'] }[] } {
  const at = positionOf(call.location);
  const fn = call.name as SetFunction;
  if (call.star || call.distinct || call.filter !== null || call.hasOrder) {
    throw new DbError('42809', `${call.star ? '*' : call.distinct ? 'DISTINCT' : call.filter !== null ? 'FILTER' : 'ORDER BY'} specified, but ${fn} is not an aggregate function`).withPosition(at);
  }
  const binder = new ExprBinder(context, scope, 'SELECT');
  const args = call.args.map((a) => binder.bind(a));
  if (args.length !== 1) {
    if (fn === 'unnest' && args.length > 1) throw featureNotSupported('unnest with several arguments').withPosition(at);
    throw new DbError('42883', `function ${fn}(${args.map((a) => typeLabel(a.type)).join(', ')}) does not exist`).withPosition(at);
  }
  let arg = args[0] as Expr;
  if (fn === 'unnest') {
    if (arg.type.id === 'unknown') throw new DbError('42725', 'function unnest(unknown) is not unique').withPosition(at);
    if (elementType(arg.type) === null) throw new DbError('42883', `function unnest(${typeLabel(arg.type)}) does not exist`).withPosition(at);
  } else {
    if (arg.type.id !== 'jsonb' && arg.type.id !== 'unknown') throw new DbError('42883', `function ${fn}(${typeLabel(arg.type)}) does not exist`).withPosition(at);
    arg = binder.coerce(arg, Types.jsonb, 'implicit', call.args[0]?.location ?? call.location);
  }
  const columns = setFunctionColumns(fn, arg.type);
  const schema: Field[] = [...input.schema, ...columns.map((c) => ({ name: c.name, type: c.type, tableId: 0, columnNumber: 0 }))];
  return { plan: { kind: 'Unnest', input, fn, arg, schema }, columns };
}

/**
 * A set function in FROM over what the FROM items before it produced (`left`, or one empty row).
 * A one-column function's column takes the alias's name, as PostgreSQL names it.
 */
export function bindSetFunctionFrom(
  item: Extract<Ast.FromItem, { kind: 'function' }>,
  left: { plan: LogicalPlan; scope: Scope } | null,
  context: BindContext,
): { plan: LogicalPlan; scope: Scope } {
  const input: LogicalPlan = left?.plan ?? { kind: 'Values', rows: [[]], schema: [] };
  const inputScope = left?.scope ?? Scope.empty();
  const { plan, columns } = unnestOver(item.call, input, inputScope, context);
  const tableName = item.alias ?? item.call.name;
  if (inputScope.tables.some((t) => t.name === tableName && t.schema === null)) {
    throw new DbError('42712', `table name "${tableName}" specified more than once`);
  }
  const names = columns.map((c, i) => item.columnAliases[i] ?? (columns.length === 1 ? (item.alias ?? c.name) : c.name));
  if (item.columnAliases.length > columns.length) {
    throw new DbError('42P10', `table "${tableName}" has ${columns.length} columns available but ${item.columnAliases.length} columns specified`);
  }
  const width = input.schema.length;
  const table: ScopeTable = {
    name: tableName,
    schema: null,
    columns: columns.map((c, i) => ({ name: names[i] as string, type: c.type, index: width + i, tableId: 0, columnNumber: 0 })),
  };
  return { plan, scope: new Scope([...inputScope.tables, table]) };
}

/**
 * Select-list set functions of a query without aggregation: a target that is one set function
 * call becomes a column of an Unnest below the targets. One per select list (PostgreSQL zips
 * several; Eventide refuses that), and only single-column functions.
 */
export function bindSelectListSetFunctions(
  targets: { ast: Ast.Expr; name: string }[],
  plan: LogicalPlan,
  scope: Scope,
  context: BindContext,
): { plan: LogicalPlan; scope: Scope } {
  const found = targets.map((t) => ({ target: t, call: findSetCall(t.ast) })).filter((f) => f.call !== null);
  if (found.length === 0) return { plan, scope };
  if (found.length > 1) throw featureNotSupported('more than one set-returning function in a select list').withPosition(positionOf(found[1]?.call?.location ?? -1));
  const { target, call } = found[0] as { target: { ast: Ast.Expr; name: string }; call: Extract<Ast.Expr, { kind: 'call' }> };
  // The call becomes a column of the rows it expands into, wherever it stands in its target.
  const hiddenColumn: Ast.Expr = { kind: 'column', parts: ['?set function?', '?set function?'], location: call.location };
  const rest = replaceNode(target.ast, call, hiddenColumn) as Ast.Expr;
  if (isSeriesCall(call)) {
    const bound = seriesInSelectList(call, plan, scope, context);
    target.ast = rest;
    return bound;
  }
  const first = { ast: call };
  if (first.ast.name === 'jsonb_each' || first.ast.name === 'jsonb_each_text') {
    throw featureNotSupported(`${first.ast.name} in a select list (record results)`).withPosition(positionOf(first.ast.location));
  }
  const unnest = unnestOver(first.ast, plan, scope, context);
  target.ast = rest;
  return { plan: unnest.plan, scope: hiddenScope(scope, (unnest.columns[0] as { type: Field['type'] }).type, plan.schema.length) };
}

function isSeriesCall(ast: Ast.Expr): boolean {
  return ast.kind === 'call' && ast.name === 'generate_series' && (ast.schema === null || ast.schema === 'pg_catalog') && !ast.hasOver;
}

/**
 * generate_series in a select list: the series as a function in FROM joined to each input row
 * (a LATERAL join when its arguments read the row), its column standing in for the call.
 */
function seriesInSelectList(call: Extract<Ast.Expr, { kind: 'call' }>, plan: LogicalPlan, scope: Scope, context: BindContext): { plan: LogicalPlan; scope: Scope } {
  const correlation: Correlation = { outer: [], correlated: false, mapOuter: null };
  const inner: BindContext = { ...context, outerScopes: [...(context.outerScopes ?? []), scope], correlations: [...(context.correlations ?? []), correlation] };
  const series = bindFromFunction({ kind: 'function', call, alias: null, columnAliases: [], location: call.location }, inner);
  const schema = [...plan.schema, ...series.schema];
  const joined: LogicalPlan = correlation.correlated
    ? { kind: 'Apply', joinType: 'inner', left: plan, right: series, outer: correlation.outer, condition: null, schema }
    : { kind: 'Join', joinType: 'inner', left: plan, right: series, condition: null, schema };
  return { plan: joined, scope: hiddenScope(scope, (series.schema[0] as Field).type, plan.schema.length) };
}

/** The scope plus the expanded rows' value, named so only the rewritten target can reach it. */
function hiddenScope(scope: Scope, type: Field['type'], index: number): Scope {
  const hidden = '?set function?';
  const table: ScopeTable = { name: hidden, schema: null, columns: [{ name: hidden, type, index, tableId: 0, columnNumber: 0 }] };
  return new Scope([...scope.tables, table]);
}

/** The first set-returning call in a target, outside subqueries; null when there is none. */
function findSetCall(node: unknown): Extract<Ast.Expr, { kind: 'call' }> | null {
  if (node === null || typeof node !== 'object') return null;
  if (Array.isArray(node)) {
    for (const child of node) {
      const found = findSetCall(child);
      if (found !== null) return found;
    }
    return null;
  }
  const record = node as Record<string, unknown>;
  if (record['kind'] === 'subquery') return null;
  if (record['kind'] === 'call' && (isSetFunctionCall(node as Ast.Expr) || isSeriesCall(node as Ast.Expr))) return node as Extract<Ast.Expr, { kind: 'call' }>;
  for (const value of Object.values(record)) {
    const found = findSetCall(value);
    if (found !== null) return found;
  }
  return null;
}

/** A copy of `node` with `target` (by identity) replaced. */
function replaceNode(node: unknown, target: object, replacement: object): unknown {
  if (node === target) return replacement;
  if (Array.isArray(node)) return node.map((child) => replaceNode(child, target, replacement));
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, replaceNode(value, target, replacement)]));
}
