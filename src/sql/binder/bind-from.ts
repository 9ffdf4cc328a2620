/**
 * Binds the FROM clause: tables, CTE references, subqueries and joins, into a plan and the scope
 * of names its columns are known by. Several FROM items are a cross join, as in SQL.
 */
import { DbError, featureNotSupported } from '../../../storage/errors.js';
import type { Expr } from '../../../planner/expr.js';
import type { Field, LogicalPlan } from '../../../planner/logical-plan.js';
import type * as Ast from '../ast.js';
import type { Catalog } from '../../catalog/catalog.js';
import { ExprBinder, positionOf, type BindContext } from './bind-expr.js';
import { Scope, type ScopeColumn, type ScopeTable } from './scope.js';
import { commonTypeOfList } from './coercion.js';
import { bindFromFunction } from './bind-from-function.js';
import { bindSetFunctionFrom, isSetFunctionCall } from './bind-set-function.js';
import type { Correlation } from './bind-subquery.js';
import { Types } from '../../../storage/types.js';
import { bindSystemRelation } from './bind-system.js';

/** A WITH query visible by name: its bound plan (re-run at every reference) and column names. */
export interface BoundCte {
  readonly plan: LogicalPlan;
  readonly names: readonly string[];
}

export type CteScope = ReadonlyMap<string, BoundCte>;

export interface BoundFrom {
  readonly plan: LogicalPlan;
  readonly scope: Scope;
}

/** The query binder, passed in to bind subqueries without an import cycle. */
export type QueryBinder = (query: Ast.Query, context: BindContext, catalog: Catalog, ctes: CteScope) => LogicalPlan;

export function bindFrom(from: readonly Ast.FromItem[], context: BindContext, catalog: Catalog, ctes: CteScope, bindQuery: QueryBinder): BoundFrom {
  if (from.length === 0) return { plan: { kind: 'Values', rows: [[]], schema: [] }, scope: Scope.empty() };
  let result: BoundFrom | null = null;
  for (const item of from) {
    // A set-returning function reads the items before it through an Unnest (implicit LATERAL).
    if (item.kind === 'function' && isSetFunctionCall(item.call)) {
      result = bindSetFunctionFrom(item, result, context);
      continue;
    }
    if (result === null) {
      result = bindItem(item, context, catalog, ctes, bindQuery);
      continue;
    }
    const right = bindLateral(item, result.scope, context, catalog, ctes, bindQuery);
    result = join('inner', result, right.bound, null, context, right.outer);
  }
  return result as BoundFrom;
}

/**
 * A FROM item that may read the items before it: a LATERAL subquery, or a function call (always
 * lateral, as in PostgreSQL). `outer` is null when it does not read them (then a plain join).
 */
function bindLateral(item: Ast.FromItem, left: Scope, context: BindContext, catalog: Catalog, ctes: CteScope, bindQuery: QueryBinder): { bound: BoundFrom; outer: Expr[] | null } {
  const lateral = (item.kind === 'subquery' && item.lateral) || item.kind === 'function';
  if (!lateral) return { bound: bindItem(item, context, catalog, ctes, bindQuery), outer: null };
  const correlation: Correlation = { outer: [], correlated: false, mapOuter: null };
  const inner: BindContext = { ...context, outerScopes: [...(context.outerScopes ?? []), left], correlations: [...(context.correlations ?? []), correlation] };
  const bound = bindItem(item, inner, catalog, ctes, bindQuery);
  return { bound, outer: correlation.correlated ? correlation.outer : null };
}

function renamed(names: readonly string[], aliases: readonly string[], what: string): string[] {
  if (aliases.length > names.length) {
    throw new DbError('42P10', `${what} has ${names.length} columns available but ${aliases.length} columns specified`);
  }
  return names.map((n, i) => aliases[i] ?? n);
}

function tableScope(name: string, schema: string | null, fields: readonly Field[], names: readonly string[]): ScopeTable {
  return { name, schema, columns: fields.map((f, i) => ({ name: names[i] ?? f.name, type: f.type, index: i, tableId: f.tableId, columnNumber: f.columnNumber })) };
}

function bindItem(item: Ast.FromItem, context: BindContext, catalog: Catalog, ctes: CteScope, bindQuery: QueryBinder): BoundFrom {
  switch (item.kind) {
    case 'table': {
      const cte = item.name.schema === null ? ctes.get(item.name.name) : undefined;
      if (cte !== undefined) {
        const names = renamed(cte.names, item.columnAliases, `table "${item.alias ?? item.name.name}"`);
        return { plan: cte.plan, scope: new Scope([tableScope(item.alias ?? item.name.name, null, cte.plan.schema, names)]) };
      }
      const system = bindSystemRelation(item, context);
      if (system !== null) {
        const names = renamed(system.schema.map((f) => f.name), item.columnAliases, `table "${item.alias ?? item.name.name}"`);
        return { plan: system, scope: new Scope([tableScope(item.alias ?? item.name.name, item.alias === null ? (item.name.schema ?? 'pg_catalog') : null, system.schema, names)]) };
      }
      const table = catalog.getTable(item.name.schema, item.name.name, positionOf(item.name.location));
      const schema: Field[] = table.columns.map((c, i) => ({ name: c.name, type: c.type, tableId: table.id, columnNumber: i + 1 }));
      const names = renamed(schema.map((f) => f.name), item.columnAliases, `table "${item.alias ?? table.name}"`);
      return {
        plan: { kind: 'Scan', table, columns: table.columns.map((_, i) => i), filter: null, schema },
        scope: new Scope([tableScope(item.alias ?? table.name, item.alias === null ? table.schema : null, schema, names)]),
      };
    }
    case 'subquery': {
      if (item.alias === null) throw new DbError('42601', 'subquery in FROM must have an alias', { hint: 'For example, FROM (SELECT ...) [AS] foo.' });
      const plan = bindQuery(item.query, context, catalog, ctes);
      const names = renamed(plan.schema.map((f) => f.name), item.columnAliases, `table "${item.alias}"`);
      return { plan, scope: new Scope([tableScope(item.alias, null, plan.schema, names)]) };
    }
    case 'join': {
      const left = bindItem(item.left, context, catalog, ctes, bindQuery);
      const { bound: right, outer } = bindLateral(item.right, left.scope, context, catalog, ctes, bindQuery);
      if (outer !== null && item.joinType !== 'inner' && item.joinType !== 'left') {
        throw new DbError('42601', 'the combining JOIN type must be INNER or LEFT for a LATERAL reference');
      }
      if (item.natural || item.using !== null) {
        if (outer !== null) throw featureNotSupported('LATERAL with USING or NATURAL');
        const names = item.natural ? commonNames(left.scope, right.scope) : (item.using as readonly string[]);
        return joinUsing(item.joinType, left, right, names, context);
      }
      return join(item.joinType, left, right, item.condition, context, outer);
    }
    case 'function': {
      const plan = bindFromFunction(item, context);
      const names = renamed(plan.schema.map((f) => f.name), item.columnAliases, `table "${item.alias ?? item.call.name}"`);
      return { plan, scope: new Scope([tableScope(item.alias ?? item.call.name, null, plan.schema, names)]) };
    }
    case 'unsupported':
      throw featureNotSupported(item.what).withPosition(positionOf(item.location));
  }
}

function join(
  joinType: 'inner' | 'left' | 'right' | 'full',
  left: BoundFrom,
  right: BoundFrom,
  conditionAst: Ast.Expr | null,
  context: BindContext,
  lateralOuter: Expr[] | null = null,
): BoundFrom {
  const width = left.plan.schema.length;
  const duplicate = left.scope.tables.find((l) => right.scope.tables.some((r) => r.name === l.name && r.schema === l.schema));
  if (duplicate !== undefined) throw new DbError('42712', `table name "${duplicate.name}" specified more than once`);
  const scope = new Scope([
    ...left.scope.tables,
    ...right.scope.tables.map((t) => ({ ...t, columns: t.columns.map((c) => ({ ...c, index: c.index + width })) })),
  ]);
  let condition: Expr | null = null;
  if (conditionAst !== null) condition = new ExprBinder(context, scope, 'JOIN').bindCondition(conditionAst);
  const schema = [...left.plan.schema, ...right.plan.schema];
  if (lateralOuter !== null) {
    const applyType = joinType === 'left' ? 'left' : 'inner';
    return { plan: { kind: 'Apply', joinType: applyType, left: left.plan, right: right.plan, outer: lateralOuter, condition, schema }, scope };
  }
  return { plan: { kind: 'Join', joinType, left: left.plan, right: right.plan, condition, schema }, scope };
}

/** NATURAL JOIN's columns: the names both sides expose unqualified, in the left side's order. */
function commonNames(left: Scope, right: Scope): string[] {
  const rightNames = new Set(right.star(null, undefined).map((c) => c.name));
  return left.star(null, undefined).map((c) => c.name).filter((name, i, all) => rightNames.has(name) && all.indexOf(name) === i);
}

/**
 * JOIN ... USING / NATURAL JOIN: equality on the named columns, which then appear once, first
 * (the left value, the right one for RIGHT JOIN, COALESCE of both for FULL JOIN), while each
 * side's own copy stays reachable as table.column.
 */
function joinUsing(joinType: 'inner' | 'left' | 'right' | 'full', left: BoundFrom, right: BoundFrom, names: readonly string[], context: BindContext): BoundFrom {
  if (names.length === 0) return join(joinType, left, right, null, context);
  const binder = new ExprBinder(context, Scope.empty(), 'JOIN');
  const width = left.plan.schema.length;
  const pairs = names.map((name) => {
    const find = (scope: Scope, side: string) => {
      const found = scope.star(null, undefined).filter((c) => c.name === name);
      if (found.length === 0) throw new DbError('42703', `column "${name}" specified in USING clause does not exist in ${side} table`);
      if (found.length > 1) throw new DbError('42702', `common column name "${name}" appears more than once in ${side} table`);
      return found[0] as ScopeColumn;
    };
    return { name, left: find(left.scope, 'left'), right: find(right.scope, 'right') };
  });
  const joined = join(joinType, left, right, null, context);
  const condition: Expr[] = [];
  const merged: Expr[] = [];
  for (const pair of pairs) {
    const l: Expr = { kind: 'Column', index: pair.left.index, type: pair.left.type };
    const r: Expr = { kind: 'Column', index: width + pair.right.index, type: pair.right.type };
    const type = commonTypeOfList([l.type, r.type]);
    if (type === null) throw new DbError('42883', `operator does not exist: ${l.type.name} = ${r.type.name}`);
    const lc = binder.coerce(l, type, 'implicit', -1);
    const rc = binder.coerce(r, type, 'implicit', -1);
    condition.push({ kind: 'Call', fn: 'eq', args: [lc, rc], type: Types.bool });
    merged.push(joinType === 'full' ? { kind: 'Coalesce', args: [lc, rc], type } : joinType === 'right' ? rc : lc);
  }
  const joinPlan = joined.plan as Extract<LogicalPlan, { kind: 'Join' }>;
  const plan: LogicalPlan = { ...joinPlan, condition: condition.length === 1 ? (condition[0] as Expr) : { kind: 'And', args: condition, type: Types.bool } };
  const k = merged.length;
  const usingLeft = new Set(pairs.map((p) => p.left));
  const usingRight = new Set(pairs.map((p) => p.right));
  const exprs: Expr[] = [...merged, ...plan.schema.map((f, i): Expr => ({ kind: 'Column', index: i, type: f.type }))];
  const schema: Field[] = [
    ...pairs.map((p, i) => ({ name: p.name, type: (merged[i] as Expr).type, tableId: 0, columnNumber: 0 })),
    ...plan.schema,
  ];
  const shift = (t: ScopeTable, by: number, hidden: Set<ScopeColumn>): ScopeTable => ({
    ...t,
    columns: t.columns.map((c) => ({ ...c, index: c.index + by, qualifiedOnly: c.qualifiedOnly === true || hidden.has(c) })),
  });
  const scope = new Scope([
    { name: '', schema: null, columns: pairs.map((p, i) => ({ name: p.name, type: (merged[i] as Expr).type, index: i, tableId: 0, columnNumber: 0 })) },
    ...left.scope.tables.map((t) => shift(t, k, usingLeft)),
    ...right.scope.tables.map((t) => shift(t, k + width, usingRight)),
  ]);
  return { plan: { kind: 'Project', input: plan, exprs, schema }, scope };
}
