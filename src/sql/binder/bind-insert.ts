/**
 * Binds INSERT: maps the source (VALUES rows, a query, or DEFAULT VALUES) onto every column of the
 * table in table order, filling defaults and applying PostgreSQL's assignment casts.
 */
import { DbError, featureNotSupported } from '../../../storage/errors.js';
import type { ColumnDef, TableDef } from '../../../storage/table-def.js';
import type { Expr } from '../../../planner/expr.js';
import type { Field, LogicalPlan } from '../../../planner/logical-plan.js';
import type * as Ast from '../ast.js';
import type { Catalog } from '../../catalog/catalog.js';
import { parseSql } from '../parse.js';
import { ExprBinder, positionOf, type BindContext } from './bind-expr.js';
import { bindQuery } from './bind-select.js';
import { Scope } from './scope.js';

export function bindInsert(statement: Extract<Ast.Statement, { kind: 'insert' }>, context: BindContext, catalog: Catalog): LogicalPlan {
  if (statement.returning) throw featureNotSupported('INSERT ... RETURNING');
  const table = catalog.getTable(statement.table.schema, statement.table.name, positionOf(statement.table.location));
  const explicitTargets = targetColumns(statement, table);
  // Without a column list, VALUES may fill just the first columns; the rest take their defaults.
  const firstRowWidth = statement.source?.kind === 'values' ? (statement.source.rows[0]?.length ?? 0) : null;
  const targets = statement.columns === null && firstRowWidth !== null && firstRowWidth < explicitTargets.length ? explicitTargets.slice(0, firstRowWidth) : explicitTargets;
  const binder = new ExprBinder(context, Scope.empty(), 'VALUES');
  // Bound once per statement and shared by its rows (plans are plain data; a volatile default
  // is still evaluated per row by the operator).
  const defaults = table.columns.map((column) => {
    if (column.defaultSql === null) return null;
    let bound: Expr | null = null;
    return () => (bound ??= bindDefault(column, context));
  });
  const fillRow = (provided: Map<number, Expr>): Expr[] =>
    table.columns.map((column, i) => provided.get(i) ?? defaults[i]?.() ?? { kind: 'Literal', value: null, type: column.type });

  let input: LogicalPlan;
  const source = statement.source;
  if (source === null) {
    input = { kind: 'Values', rows: [fillRow(new Map())], schema: tableFields(table) };
  } else if (source.kind === 'values' && source.orderBy.length === 0 && source.limit === null && source.offset === null) {
    const rows = source.rows.map((row) => {
      if (row.length !== (source.rows[0]?.length ?? 0)) {
        throw new DbError('42601', 'VALUES lists must all be the same length').withPosition(positionOf(row[0]?.location ?? -1));
      }
      checkWidth(row.length, targets.length, row[targets.length]?.location ?? row[row.length - 1]?.location ?? -1);
      const provided = new Map<number, Expr>();
      row.forEach((ast, i) => {
        const columnIndex = targets[i] as number;
        const column = table.columns[columnIndex] as ColumnDef;
        if (ast.kind === 'default') return;
        provided.set(columnIndex, assign(binder, binder.bind(ast), column, ast.location));
      });
      return fillRow(provided);
    });
    input = { kind: 'Values', rows, schema: tableFields(table) };
  } else {
    const query = bindQuery(source, context, catalog);
    checkWidth(query.schema.length, targets.length, -1);
    const provided = new Map<number, Expr>();
    targets.forEach((columnIndex, i) => {
      const field = query.schema[i] as Field;
      const column = table.columns[columnIndex] as ColumnDef;
      provided.set(columnIndex, assign(binder, { kind: 'Column', index: i, type: field.type }, column, -1));
    });
    input = { kind: 'Project', input: query, exprs: fillRow(provided), schema: tableFields(table) };
  }
  return { kind: 'Insert', table, input, schema: [] };
}

function targetColumns(statement: Extract<Ast.Statement, { kind: 'insert' }>, table: TableDef): number[] {
  if (statement.columns === null) return table.columns.map((_, i) => i);
  const seen = new Set<number>();
  return statement.columns.map((c) => {
    const index = table.columns.findIndex((column) => column.name === c.name);
    if (index < 0) {
      throw new DbError('42703', `column "${c.name}" of relation "${table.name}" does not exist`).withPosition(positionOf(c.location));
    }
    if (seen.has(index)) throw new DbError('42701', `column "${c.name}" specified more than once`).withPosition(positionOf(c.location));
    seen.add(index);
    return index;
  });
}

function checkWidth(provided: number, targets: number, location: number): void {
  if (provided > targets) throw new DbError('42601', 'INSERT has more expressions than target columns').withPosition(positionOf(location));
  if (provided < targets) throw new DbError('42601', 'INSERT has more target columns than expressions').withPosition(positionOf(location));
}

/** Assignment cast into a column, with PostgreSQL's message when no such cast exists. */
export function assign(binder: ExprBinder, expr: Expr, column: ColumnDef, location: number): Expr {
  const coerced = binder.coerce(expr, column.type, 'assignment', location, true);
  if (coerced === expr && (expr.type.id !== column.type.id || (expr.type.typmod !== column.type.typmod && column.type.typmod >= 0))) {
    if (expr.type.id !== column.type.id) {
      throw new DbError('42804', `column "${column.name}" is of type ${column.type.name} but expression is of type ${expr.type.name}`, {
        hint: 'You will need to rewrite or cast the expression.',
      }).withPosition(positionOf(location));
    }
    return { kind: 'Cast', arg: expr, type: column.type, explicit: false };
  }
  return coerced;
}

/** Binds a column's DEFAULT expression from its persisted text. */
export function bindDefault(column: ColumnDef, context: BindContext): Expr {
  const expr = parseDefault(column.defaultSql as string);
  if (expr === null) throw new DbError('XX000', `internal error: bad default expression for column "${column.name}"`);
  const binder = new ExprBinder({ params: [], settings: context.settings, functions: context.functions, subqueries: [] }, Scope.empty(), 'DEFAULT');
  return assign(binder, binder.bind(expr), column, -1);
}

/** Parsed DEFAULT expressions by their text: parsing is pure syntax, so every table may share one. */
const parsedDefaults = new Map<string, Ast.Expr | null>();
const maxParsedDefaults = 1024;

function parseDefault(defaultSql: string): Ast.Expr | null {
  let expr = parsedDefaults.get(defaultSql);
  if (expr !== undefined) return expr;
  const statement = parseSql(`SELECT ${defaultSql}`)[0]?.statement;
  const ok = statement?.kind === 'query' && statement.query.kind === 'select' && statement.query.targets.length === 1;
  expr = ok ? (statement.query.targets[0] as Ast.SelectTarget).expr : null;
  if (parsedDefaults.size >= maxParsedDefaults) parsedDefaults.clear();
  parsedDefaults.set(defaultSql, expr);
  return expr;
}

export function tableFields(table: TableDef): Field[] {
  return table.columns.map((c, i) => ({ name: c.name, type: c.type, tableId: table.id, columnNumber: i + 1 }));
}
