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
  const calls = targets.filter((t) => isSetFunctionCall(t.ast));
  if (calls.length === 0) return { plan, scope };
  const first = calls[0] as { ast: Extract<Ast.Expr, { kind: 'call' }>; name: string };
  if (calls.length > 1) throw featureNotSupported('more than one set-returning function in a select list').withPosition(positionOf(calls[1]?.ast.location ?? -1));
  if (first.ast.name === 'jsonb_each' || first.ast.name === 'jsonb_each_text') {
    throw featureNotSupported(`${first.ast.name} in a select list (record results)`).withPosition(positionOf(first.ast.location));
  }
  const unnest = unnestOver(first.ast, plan, scope, context);
  const hidden = '?set function?';
  const table: ScopeTable = {
    name: hidden,
    schema: null,
    columns: [{ name: hidden, type: (unnest.columns[0] as { type: Field['type'] }).type, index: plan.schema.length, tableId: 0, columnNumber: 0 }],
  };
  (first as { ast: Ast.Expr }).ast = { kind: 'column', parts: [hidden, hidden], location: first.ast.location };
  return { plan: unnest.plan, scope: new Scope([...scope.tables, table]) };
}
