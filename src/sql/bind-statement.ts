/** Binds any statement into a BoundStatement: a plan for queries and INSERT, a command otherwise. */
import { DbError, featureNotSupported } from '../../storage/errors.js';
import type { TableDef } from '../../storage/table-def.js';
import type { LogicalPlan } from '../../planner/logical-plan.js';
import { decorrelate } from '../../planner/decorrelate.js';
import { optimize } from '../../planner/optimizer.js';
import type { Catalog } from '../catalog/catalog.js';
import type * as Ast from './ast.js';
import type { BindContext, BoundSubquery } from './binder/bind-expr.js';
import { positionOf } from './binder/bind-expr.js';
import { bindCreateTable } from './binder/bind-ddl.js';
import { bindInsert } from './binder/bind-insert.js';
import { bindCopy, type BoundCopyFrom, type BoundCopyTo } from './binder/bind-copy.js';
import { bindQuery } from './binder/bind-select.js';

export type BoundStatement =
  | { readonly kind: 'query'; readonly plan: LogicalPlan; readonly subplans: readonly BoundSubquery[] }
  | { readonly kind: 'insert'; readonly plan: LogicalPlan; readonly subplans: readonly BoundSubquery[] }
  | { readonly kind: 'explain'; readonly analyze: boolean; readonly statement: BoundStatement }
  | { readonly kind: 'createTable'; readonly def: Omit<TableDef, 'id'>; readonly ifNotExists: boolean }
  | { readonly kind: 'dropTable'; readonly tables: readonly Ast.QualifiedName[]; readonly ifExists: boolean }
  | { readonly kind: 'transaction'; readonly action: 'begin' | 'commit' | 'rollback' }
  | { readonly kind: 'set'; readonly name: string; readonly value: readonly string[] | null; readonly local: boolean }
  | { readonly kind: 'reset'; readonly name: string | null }
  | { readonly kind: 'show'; readonly name: string }
  | { readonly kind: 'checkpoint' }
  | { readonly kind: 'discard' }
  | BoundCopyFrom
  | (BoundCopyTo & { readonly subplans: readonly BoundSubquery[] });

export function bindStatement(statement: Ast.Statement, context: BindContext, catalog: Catalog): BoundStatement {
  switch (statement.kind) {
    case 'query':
    {
      const plan = optimizeWithSubqueries(bindQuery(statement.query, context, catalog), context);
      return { kind: 'query', plan, subplans: optimizeSubplans(context) };
    }
    case 'insert': {
      const plan = optimizeWithSubqueries(bindInsert(statement, context, catalog), context);
      return { kind: 'insert', plan, subplans: optimizeSubplans(context) };
    }
    case 'explain': {
      const inner = bindStatement(statement.statement, context, catalog);
      if (inner.kind !== 'query' && inner.kind !== 'insert') throw featureNotSupported('EXPLAIN of this statement');
      return { kind: 'explain', analyze: statement.analyze, statement: inner };
    }
    case 'createTable':
      return { kind: 'createTable', def: bindCreateTable(statement, context, catalog), ifNotExists: statement.ifNotExists };
    case 'dropTable':
      return { kind: 'dropTable', tables: statement.tables, ifExists: statement.ifExists };
    case 'transaction':
      return { kind: 'transaction', action: statement.action };
    case 'set':
      return { kind: 'set', name: statement.name, value: statement.value, local: statement.local };
    case 'reset':
      return { kind: 'reset', name: statement.name };
    case 'show':
      return { kind: 'show', name: statement.name };
    case 'checkpoint':
      return { kind: 'checkpoint' };
    case 'discard':
      return { kind: 'discard' };
    case 'copy': {
      const bound = bindCopy(statement, context, catalog);
      if (bound.kind === 'copyFrom') return bound;
      return { ...bound, plan: optimizeWithSubqueries(bound.plan, context), subplans: optimizeSubplans(context) };
    }
    case 'unsupported':
      throw featureNotSupported(statement.what).withPosition(positionOf(statement.location));
    default: {
      const never: never = statement;
      throw new DbError('XX000', `internal error: unexpected statement ${JSON.stringify(never)}`);
    }
  }
}

/** Correlated EXISTS/IN conjuncts become semi/anti joins where they can, then the usual rules. */
function optimizeWithSubqueries(plan: LogicalPlan, context: BindContext): LogicalPlan {
  const subplans = context.subqueries.map((s) => s.plan);
  return optimize(decorrelate(plan, subplans));
}

function optimizeSubplans(context: BindContext): BoundSubquery[] {
  const subplans = context.subqueries.map((s) => s.plan);
  return context.subqueries.map((s) => ({ ...s, plan: optimize(decorrelate(s.plan, subplans)) }));
}
