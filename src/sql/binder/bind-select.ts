/**
 * Binds a query (SELECT or VALUES) into a LogicalPlan:
 * Scan/Values -> Filter(WHERE) -> [Aggregate -> Filter(HAVING)] -> Project -> [Distinct] -> [Sort]
 * -> [Limit] -> [Project dropping sort-only columns].
 */
import { DbError, featureNotSupported } from '../../../storage/errors.js';
import { Types, type DataType } from '../../../storage/types.js';
import { exprKey } from '../../../planner/expr.js';
import type { AggregateCall, Expr } from '../../../planner/expr.js';
import type { Field, LogicalPlan, SortKey } from '../../../planner/logical-plan.js';
import type * as Ast from '../ast.js';
import type { Catalog } from '../../catalog/catalog.js';
import { ExprBinder, positionOf, type AggregateScope, type BindContext } from './bind-expr.js';
import { containsAggregate } from './ast-walk.js';
import { commonTypeOfList } from './coercion.js';
import { figureColumnName } from './column-names.js';
import { Scope } from './scope.js';
import { bindSelectListSetFunctions } from './bind-set-function.js';
import { bindFrom, type CteScope } from './bind-from.js';
import { expandGroupingSets } from './grouping-sets.js';
import { bindRecursiveCte } from './bind-recursive.js';
import { applyWindows, WindowScope } from './bind-window.js';

interface Target {
  readonly expr: Expr;
  readonly name: string;
  readonly tableId: number;
  readonly columnNumber: number;
}

/**
 * `keepUnknown`: leave untyped literals (NULL, 'text') of the select list unresolved, for a branch
 * of UNION/INTERSECT/EXCEPT whose other branch decides their type, as in PostgreSQL.
 */
export function bindQuery(query: Ast.Query, context: BindContext, catalog: Catalog, ctes: CteScope = new Map(), keepUnknown = false): LogicalPlan {
  switch (query.kind) {
    case 'select':
      return bindSelect(query, context, catalog, ctes, keepUnknown);
    case 'values':
      return bindValuesQuery(query, context);
    case 'setop':
      return bindSetOp(query, context, catalog, ctes);
    case 'unsupported':
      throw featureNotSupported(query.what).withPosition(positionOf(query.location));
  }
}

/** WITH queries, each visible to the ones after it and to the main query. */
function bindWith(list: readonly Ast.CommonTableExpr[], context: BindContext, catalog: Catalog, outer: CteScope): CteScope {
  if (list.length === 0) return outer;
  const ctes = new Map(outer);
  const seen = new Set<string>();
  for (const cte of list) {
    if (seen.has(cte.name)) throw new DbError('42712', `WITH query name "${cte.name}" specified more than once`).withPosition(positionOf(cte.location));
    seen.add(cte.name);
    const recursive = bindRecursiveCte(cte, context, catalog, ctes, bindQuery);
    if (recursive !== null) {
      ctes.set(cte.name, recursive);
      continue;
    }
    const plan = bindQuery(cte.query, context, catalog, ctes);
    if (cte.columnAliases.length > plan.schema.length) {
      throw new DbError('42P10', `WITH query "${cte.name}" has ${plan.schema.length} columns available but ${cte.columnAliases.length} columns specified`);
    }
    ctes.set(cte.name, { plan, names: plan.schema.map((f, i) => cte.columnAliases[i] ?? f.name) });
  }
  return ctes;
}

function bindSelect(select: Extract<Ast.Query, { kind: 'select' }>, context: BindContext, catalog: Catalog, outerCtes: CteScope, keepUnknown: boolean): LogicalPlan {
  if (select.unsupported !== null) throw featureNotSupported(select.unsupported);
  const ctes = bindWith(select.with, context, catalog, outerCtes);
  // Expressions of this query may hold subqueries: they see this query's scope as an outer one.
  const queryContext = context;
  context = {
    ...queryContext,
    bindSubquery: (query, scope, correlation) =>
      bindQuery(
        query,
        { ...queryContext, outerScopes: [...(queryContext.outerScopes ?? []), scope], correlations: [...(queryContext.correlations ?? []), correlation] },
        catalog,
        ctes,
      ),
  };
  let { plan, scope } = bindFrom(select.from, context, catalog, ctes, bindQuery);

  if (select.where !== null) {
    if (containsAggregate(select.where)) {
      throw new DbError('42803', 'aggregate functions are not allowed in WHERE').withPosition(positionOf(select.where.location));
    }
    const predicate = new ExprBinder(context, scope, 'WHERE').bindCondition(select.where);
    plan = { kind: 'Filter', input: plan, predicate, schema: plan.schema };
  }

  // Expand stars into plain column targets first, so GROUP BY ordinals and ORDER BY see them.
  const targetAsts: { ast: Ast.Expr; name: string }[] = [];
  for (const t of select.targets) {
    if (t.expr.kind === 'star') {
      const columns = scope.star(t.expr.table, positionOf(t.expr.location));
      if (columns.length === 0 && select.from.length === 0) throw new DbError('42601', 'SELECT * with no tables specified is not valid').withPosition(positionOf(t.expr.location));
      for (const c of columns) targetAsts.push({ ast: { kind: 'column', parts: [scopeTableName(scope, c.index), c.name], location: t.expr.location }, name: c.name });
    } else {
      targetAsts.push({ ast: t.expr, name: t.alias ?? figureColumnName(t.expr) });
    }
  }

  const isAggregate =
    select.groupBy.length > 0 ||
    (select.groupingSets ?? null) !== null ||
    select.having !== null ||
    targetAsts.some((t) => containsAggregate(t.ast)) ||
    select.orderBy.some((o) => containsAggregate(o.expr));

  if (!isAggregate) ({ plan, scope } = bindSelectListSetFunctions(targetAsts, plan, scope, context));

  const windows = new WindowScope(select.windows);
  let targetBinder: ExprBinder;
  if (isAggregate) {
    const inputBinder = new ExprBinder(context, scope, 'GROUP BY');
    const bindKey = (g: Ast.Expr) => bindGroupItem(g, targetAsts, inputBinder, scope);
    const sets = select.groupingSets ? expandGroupingSets(select.groupingSets, select.groupByDistinct === true, bindKey) : null;
    const groupBy = sets === null ? select.groupBy.map(bindKey) : sets.groupBy;
    const aggregates: AggregateCall[] = [];
    const aggregateScope: AggregateScope = { groupBy, aggregates, inputScope: scope };
    targetBinder = new ExprBinder(context, scope, 'SELECT', aggregateScope, windows);
    // Bind in PostgreSQL's order so errors surface as it reports them: targets, then HAVING.
    const boundTargets = targetAsts.map((t) => targetBinder.bind(t.ast));
    const having = select.having === null ? null : new ExprBinder(context, scope, 'HAVING', aggregateScope).bindCondition(select.having);
    const sortBinder = new ExprBinder(context, scope, 'ORDER BY', aggregateScope, windows);
    const sortExprs = select.orderBy.map((o) => bindSortExpr(o, targetAsts, boundTargets, sortBinder));
    const onExprs = bindDistinctOn(select.distinctOn, targetAsts, boundTargets, sortBinder);
    const inputSchema = plan.schema;
    const schema: Field[] = [
      ...groupBy.map((g, i) => fieldFor(`group${i}`, g, inputSchema)),
      ...aggregates.map((a) => ({ name: a.fn, type: a.type, tableId: 0, columnNumber: 0 })),
    ];
    plan = { kind: 'Aggregate', input: plan, groupBy, aggregates, schema, ...(sets === null ? {} : { groupingSets: sets.sets }) };
    if (having !== null) plan = { kind: 'Filter', input: plan, predicate: having, schema };
    const windowed = applyWindows(plan, windows);
    return finishSelect(select, windowed.plan, targetAsts, boundTargets.map(windowed.remap), sortExprs.map((t) => remapTarget(t, windowed.remap)), onExprs?.map((t) => remapTarget(t, windowed.remap)) ?? null, context, targetBinder, keepUnknown);
  }

  targetBinder = new ExprBinder(context, scope, 'SELECT', null, windows);
  const boundTargets = targetAsts.map((t) => targetBinder.bind(t.ast));
  const sortBinder = new ExprBinder(context, scope, 'ORDER BY', null, windows);
  const sortExprs = select.orderBy.map((o) => bindSortExpr(o, targetAsts, boundTargets, sortBinder));
  const onExprs = bindDistinctOn(select.distinctOn, targetAsts, boundTargets, sortBinder);
  const windowed = applyWindows(plan, windows);
  return finishSelect(select, windowed.plan, targetAsts, boundTargets.map(windowed.remap), sortExprs.map((t) => remapTarget(t, windowed.remap)), onExprs?.map((t) => remapTarget(t, windowed.remap)) ?? null, context, targetBinder, keepUnknown);
}

function remapTarget(target: SortTarget, remap: (e: Expr) => Expr): SortTarget {
  return 'index' in target ? target : { expr: remap(target.expr) };
}

/** Whether output columns come from an aggregation (then they carry no source table column). */
function aggregated(plan: LogicalPlan): boolean {
  return plan.kind === 'Aggregate' || ((plan.kind === 'Filter' || plan.kind === 'Window') && aggregated(plan.input));
}

/** DISTINCT ON items resolve like ORDER BY items: ordinals, output names, or expressions. */
function bindDistinctOn(items: readonly Ast.Expr[] | null, targets: readonly { ast: Ast.Expr; name: string }[], bound: readonly Expr[], binder: ExprBinder): SortTarget[] | null {
  if (items === null) return null;
  return items.map((expr) => bindSortExpr({ expr, descending: false, nullsFirst: null }, targets, bound, binder));
}

function scopeTableName(scope: Scope, index: number): string {
  const table = scope.tables.find((t) => t.columns.some((c) => c.index === index));
  return table?.name ?? '';
}

function fieldFor(name: string, expr: Expr, input: readonly Field[]): Field {
  if (expr.kind === 'Column') {
    const source = input[expr.index];
    if (source) return source;
  }
  return { name, type: expr.type, tableId: 0, columnNumber: 0 };
}

/** GROUP BY item: an output ordinal, an output alias (when no input column has the name), or an input expression. */
/** PostgreSQL refuses a constant other than an ordinal as a GROUP BY or ORDER BY item (42601). */
function checkNotConstant(item: Ast.Expr, clause: 'GROUP BY' | 'ORDER BY'): void {
  if (item.kind === 'literal' && item.value.kind !== 'integer') {
    throw new DbError('42601', `non-integer constant in ${clause}`).withPosition(positionOf(item.location));
  }
}

function bindGroupItem(item: Ast.Expr, targets: readonly { ast: Ast.Expr; name: string }[], binder: ExprBinder, scope: Scope): Expr {
  checkNotConstant(item, 'GROUP BY');
  if (item.kind === 'literal' && item.value.kind === 'integer') {
    const n = Number(item.value.text);
    const target = targets[n - 1];
    if (target === undefined) throw new DbError('42P10', `GROUP BY position ${n} is not in select list`).withPosition(positionOf(item.location));
    if (containsAggregate(target.ast)) throw new DbError('42803', 'aggregate functions are not allowed in GROUP BY').withPosition(positionOf(target.ast.location));
    return binder.resolveUnknown(binder.bind(target.ast));
  }
  if (item.kind === 'column' && item.parts.length === 1) {
    const name = item.parts[0] as string;
    const inputHasIt = scope.tables.some((t) => t.columns.some((c) => c.name === name));
    if (!inputHasIt) {
      const target = targets.find((t) => t.name === name);
      if (target !== undefined) return binder.resolveUnknown(binder.bind(target.ast));
    }
  }
  if (containsAggregate(item)) throw new DbError('42803', 'aggregate functions are not allowed in GROUP BY').withPosition(positionOf(item.location));
  return binder.resolveUnknown(binder.bind(item));
}

type SortTarget = { index: number } | { expr: Expr };

/** ORDER BY item: an output ordinal, an output column name, or an expression over the input. */
function bindSortExpr(item: Ast.SortItem, targets: readonly { ast: Ast.Expr; name: string }[], bound: readonly Expr[], binder: ExprBinder): SortTarget {
  const e = item.expr;
  checkNotConstant(e, 'ORDER BY');
  if (e.kind === 'literal' && e.value.kind === 'integer') {
    const n = Number(e.value.text);
    if (n < 1 || n > targets.length) throw new DbError('42P10', `ORDER BY position ${n} is not in select list`).withPosition(positionOf(e.location));
    return { index: n - 1 };
  }
  if (e.kind === 'column' && e.parts.length === 1) {
    const matches = targets.map((t, i) => (t.name === e.parts[0] ? i : -1)).filter((i) => i >= 0);
    if (matches.length > 1) {
      const first = bound[matches[0] as number];
      if (!matches.every((m) => exprKey(bound[m]) === exprKey(first))) {
        throw new DbError('42702', `ORDER BY "${e.parts[0]}" is ambiguous`).withPosition(positionOf(e.location));
      }
    }
    if (matches.length > 0) return { index: matches[0] as number };
  }
  const expr = binder.resolveUnknown(binder.bind(e));
  const key = exprKey(expr);
  const index = bound.findIndex((b) => exprKey(b) === key);
  return index >= 0 ? { index } : { expr };
}

function finishSelect(
  select: Extract<Ast.Query, { kind: 'select' }>,
  input: LogicalPlan,
  targetAsts: readonly { ast: Ast.Expr; name: string }[],
  boundTargets: readonly Expr[],
  sortTargets: readonly SortTarget[],
  distinctOn: readonly SortTarget[] | null,
  context: BindContext,
  binder: ExprBinder,
  keepUnknown: boolean,
): LogicalPlan {
  const exprs = boundTargets.map((e) => (keepUnknown && (e.kind === 'Literal' || e.kind === 'Param') ? e : binder.resolveUnknown(e)));
  const fields: Field[] = exprs.map((e, i) => {
    const name = targetAsts[i]?.name ?? '?column?';
    const source = e.kind === 'Column' && !aggregated(input) ? input.schema[e.index] : undefined;
    return { name, type: e.type, tableId: source?.tableId ?? 0, columnNumber: source?.columnNumber ?? 0 };
  });
  const visible = exprs.length;
  const keys: SortKey[] = [];
  for (let i = 0; i < sortTargets.length; i++) {
    const target = sortTargets[i] as SortTarget;
    const item = select.orderBy[i] as Ast.SortItem;
    let index: number;
    if ('index' in target) index = target.index;
    else {
      if (select.distinct) {
        throw new DbError('42P10', 'for SELECT DISTINCT, ORDER BY expressions must appear in select list').withPosition(positionOf(item.expr.location));
      }
      index = exprs.push(target.expr) - 1;
      fields.push({ name: '?sort?', type: target.expr.type, tableId: 0, columnNumber: 0 });
    }
    keys.push({
      expr: { kind: 'Column', index, type: (exprs[index] as Expr).type },
      descending: item.descending,
      nullsFirst: item.nullsFirst ?? item.descending,
    });
  }
  const onColumns = (distinctOn ?? []).map((target) => {
    if ('index' in target) return target.index;
    const key = exprKey(target.expr);
    const existing = exprs.findIndex((e) => exprKey(e) === key);
    if (existing >= 0) return existing;
    fields.push({ name: '?distinct?', type: target.expr.type, tableId: 0, columnNumber: 0 });
    return exprs.push(target.expr) - 1;
  });
  // PostgreSQL: the leading ORDER BY items must be DISTINCT ON items, so "first" is well defined.
  for (let i = 0; i < Math.min(keys.length, onColumns.length); i++) {
    const column = (keys[i]?.expr as { index: number }).index;
    if (!onColumns.includes(column)) {
      throw new DbError('42P10', 'SELECT DISTINCT ON expressions must match initial ORDER BY expressions').withPosition(positionOf(select.orderBy[i]?.expr.location ?? -1));
    }
  }
  let plan: LogicalPlan = { kind: 'Project', input, exprs, schema: fields };
  if (distinctOn !== null) {
    if (keys.length > 0) plan = { kind: 'Sort', input: plan, keys, schema: fields };
    plan = { kind: 'DistinctOn', input: plan, keys: onColumns, schema: fields };
    plan = bindLimit(plan, select.limit, select.offset, context);
    return dropJunk(plan, fields, visible);
  }
  if (select.distinct) {
    plan = { kind: 'Distinct', input: plan, schema: fields };
  }
  if (keys.length > 0) plan = { kind: 'Sort', input: plan, keys, schema: fields };
  plan = bindLimit(plan, select.limit, select.offset, context);
  return dropJunk(plan, fields, visible);
}

/** Drops the columns added only for ORDER BY / DISTINCT ON. */
function dropJunk(plan: LogicalPlan, fields: readonly Field[], visible: number): LogicalPlan {
  if (fields.length === visible) return plan;
  const kept = fields.slice(0, visible);
  return { kind: 'Project', input: plan, exprs: kept.map((f, i) => ({ kind: 'Column', index: i, type: f.type })), schema: kept };
}

function bindLimit(plan: LogicalPlan, limitAst: Ast.Expr | null, offsetAst: Ast.Expr | null, context: BindContext): LogicalPlan {
  if (limitAst === null && offsetAst === null) return plan;
  const bindCount = (ast: Ast.Expr | null, place: 'LIMIT' | 'OFFSET'): Expr | null => {
    if (ast === null) return null;
    const binder = new ExprBinder(context, Scope.empty(), place);
    if (containsAggregate(ast)) throw new DbError('42803', `aggregate functions are not allowed in ${place}`).withPosition(positionOf(ast.location));
    const expr = binder.bind(ast);
    return binder.coerce(expr, Types.int8, 'assignment', ast.location);
  };
  return { kind: 'Limit', input: plan, limit: bindCount(limitAst, 'LIMIT'), offset: bindCount(offsetAst, 'OFFSET'), schema: plan.schema };
}

/** A top-level VALUES list: columns named column1.., each of the common type of its rows. */
export function bindValuesQuery(query: Extract<Ast.Query, { kind: 'values' }>, context: BindContext): LogicalPlan {
  const binder = new ExprBinder(context, Scope.empty(), 'VALUES');
  const width = query.rows[0]?.length ?? 0;
  const rows = query.rows.map((row) => {
    if (row.length !== width) throw new DbError('42601', 'VALUES lists must all be the same length').withPosition(positionOf(row[0]?.location ?? -1));
    return row.map((e) => binder.bind(e));
  });
  const types: DataType[] = [];
  for (let c = 0; c < width; c++) {
    const type = commonTypeOfList(rows.map((r) => (r[c] as Expr).type));
    if (type === null) throw new DbError('42804', `VALUES types cannot be matched`);
    types.push(type);
  }
  const coerced = rows.map((r) => r.map((e, c) => binder.coerce(e, types[c] as DataType, 'implicit', -1)));
  const schema: Field[] = types.map((type, i) => ({ name: `column${i + 1}`, type, tableId: 0, columnNumber: 0 }));
  let plan: LogicalPlan = { kind: 'Values', rows: coerced, schema };
  if (query.orderBy.length > 0) {
    const keys: SortKey[] = query.orderBy.map((item) => {
      const targets = schema.map((f) => ({ ast: { kind: 'column', parts: [f.name], location: -1 } as Ast.Expr, name: f.name }));
      const valueScope = new Scope([{ name: '*VALUES*', schema: null, columns: schema.map((f, i) => ({ name: f.name, type: f.type, index: i, tableId: 0, columnNumber: 0 })) }]);
      const bound = schema.map((f, i): Expr => ({ kind: 'Column', index: i, type: f.type }));
      const target = bindSortExpr(item, targets, bound, new ExprBinder(context, valueScope, 'ORDER BY'));
      if (!('index' in target)) throw featureNotSupported('ORDER BY expressions over VALUES');
      return { expr: bound[target.index] as Expr, descending: item.descending, nullsFirst: item.nullsFirst ?? item.descending };
    });
    plan = { kind: 'Sort', input: plan, keys, schema };
  }
  return bindLimit(plan, query.limit, query.offset, context);
}

/** UNION / INTERSECT / EXCEPT: both sides cast to the common type of each column. */
function bindSetOp(query: Extract<Ast.Query, { kind: 'setop' }>, context: BindContext, catalog: Catalog, outerCtes: CteScope): LogicalPlan {
  const ctes = bindWith(query.with, context, catalog, outerCtes);
  const left = bindQuery(query.left, context, catalog, ctes, true);
  const right = bindQuery(query.right, context, catalog, ctes, true);
  const what = query.op.toUpperCase();
  if (left.schema.length !== right.schema.length) {
    throw new DbError('42601', `each ${what} query must have the same number of columns`);
  }
  const binder = new ExprBinder(context, Scope.empty(), 'SELECT');
  const types = left.schema.map((l, i) => {
    const r = right.schema[i] as Field;
    const type = commonTypeOfList([l.type, r.type]);
    if (type === null) throw new DbError('42804', `${what} types ${l.type.name} and ${r.type.name} cannot be matched`);
    return type;
  });
  const castSide = (plan: LogicalPlan): LogicalPlan => {
    if (plan.schema.every((f, i) => f.type === types[i])) return plan;
    const exprs = plan.schema.map((f, i) => binder.coerce({ kind: 'Column', index: i, type: f.type }, types[i] as DataType, 'implicit', -1));
    return { kind: 'Project', input: plan, exprs, schema: plan.schema.map((f, i) => ({ ...f, type: types[i] as DataType })) };
  };
  const schema: Field[] = left.schema.map((f, i) => ({ name: f.name, type: types[i] as DataType, tableId: 0, columnNumber: 0 }));
  let plan: LogicalPlan = { kind: 'SetOp', op: query.op, all: query.all, left: castSide(left), right: castSide(right), schema };
  if (query.orderBy.length > 0) {
    const targets = schema.map((f) => ({ ast: { kind: 'column', parts: [f.name], location: -1 } as Ast.Expr, name: f.name }));
    const outputScope = new Scope([{ name: '*SELECT*', schema: null, columns: schema.map((f, i) => ({ name: f.name, type: f.type, index: i, tableId: 0, columnNumber: 0 })) }]);
    const bound = schema.map((f, i): Expr => ({ kind: 'Column', index: i, type: f.type }));
    const keys: SortKey[] = query.orderBy.map((item) => {
      const target = bindSortExpr(item, targets, bound, new ExprBinder(context, outputScope, 'ORDER BY'));
      if (!('index' in target)) {
        throw featureNotSupported('ORDER BY on a UNION/INTERSECT/EXCEPT result other than its output columns');
      }
      return { expr: bound[target.index] as Expr, descending: item.descending, nullsFirst: item.nullsFirst ?? item.descending };
    });
    plan = { kind: 'Sort', input: plan, keys, schema };
  }
  return bindLimit(plan, query.limit, query.offset, context);
}
