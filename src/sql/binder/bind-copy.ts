/**
 * Binds COPY: FROM STDIN into the target table, its column list and the defaults of the other
 * columns; TO STDOUT into a query plan (a table's columns, or the query given). Server files and
 * programs are refused as PostgreSQL refuses them to a role without file privileges.
 */
import { DbError, featureNotSupported } from '../../../storage/errors.js';
import type { TableDef } from '../../../storage/table-def.js';
import type { Expr } from '../../../planner/expr.js';
import type { LogicalPlan } from '../../../planner/logical-plan.js';
import type * as Ast from '../ast.js';
import type { Catalog } from '../../catalog/catalog.js';
import { quoteIdent } from '../../functions/catalog-functions.js';
import { parseSql } from '../parse.js';
import { resolveCopyFormat, type CopyFormat } from '../copy/copy-options.js';
import { positionOf, type BindContext } from './bind-expr.js';
import { bindDefault } from './bind-insert.js';
import { bindQuery } from './bind-select.js';

export interface BoundCopyFrom {
  readonly kind: 'copyFrom';
  readonly table: TableDef;
  /** Table column index of each field of a row, in the order the rows give them. */
  readonly targets: readonly number[];
  /** Per table column not in `targets`: its DEFAULT, or null for NULL. */
  readonly defaults: readonly (Expr | null)[];
  readonly format: CopyFormat;
  /** Per target: CSV FORCE_NOT_NULL / FORCE_NULL. */
  readonly forceNotNull: readonly boolean[];
  readonly forceNull: readonly boolean[];
}

export interface BoundCopyTo {
  readonly kind: 'copyTo';
  readonly plan: LogicalPlan;
  readonly format: CopyFormat;
  /** Per output column: CSV FORCE_QUOTE. */
  readonly forceQuote: readonly boolean[];
}

export function bindCopy(statement: Ast.CopyStatement, context: BindContext, catalog: Catalog): BoundCopyFrom | BoundCopyTo {
  if (statement.file !== null) {
    const what = statement.file.program ? 'COPY to or from an external program' : statement.from ? 'COPY from a file' : 'COPY to a file';
    throw new DbError('42501', `must be superuser or have privileges of the pg_${statement.file.program ? 'execute_server_program' : statement.from ? 'read_server_files' : 'write_server_files'} role to ${what}`, {
      hint: "Anyone can COPY to stdout or from stdin. psql's \\copy command also works for anyone.",
    });
  }
  const format = resolveCopyFormat(statement.options, statement.from);
  if (statement.from) return bindCopyFrom(statement, format, context, catalog);
  if (statement.hasWhere) throw featureNotSupported('WHERE clause not allowed with COPY TO');
  return bindCopyTo(statement, format, context, catalog);
}

function bindCopyFrom(statement: Ast.CopyStatement, format: CopyFormat, context: BindContext, catalog: Catalog): BoundCopyFrom {
  if (statement.hasWhere) throw featureNotSupported('COPY FROM ... WHERE');
  const name = statement.table as Ast.QualifiedName;
  const table = catalog.getTable(name.schema, name.name, positionOf(name.location));
  const targets = columnIndexes(statement, table);
  const targetNames = targets.map((i) => table.columns[i]!.name);
  const flags = (names: readonly string[], option: string) => {
    for (const n of names) if (!targetNames.includes(n)) throw new DbError('42P10', `${option} column "${n}" not referenced by COPY`);
    return targetNames.map((n) => names.includes(n));
  };
  const forceNotNull = flags(format.forceNotNull, 'FORCE_NOT_NULL');
  const forceNull = flags(format.forceNull, 'FORCE_NULL');
  const defaults = table.columns.map((column, i) => (targets.includes(i) || column.defaultSql === null ? null : bindDefault(column, context)));
  return { kind: 'copyFrom', table, targets, defaults, format, forceNotNull, forceNull };
}

function bindCopyTo(statement: Ast.CopyStatement, format: CopyFormat, context: BindContext, catalog: Catalog): BoundCopyTo {
  let query: Ast.Query;
  if (statement.query !== null) {
    query = statement.query;
  } else {
    const name = statement.table as Ast.QualifiedName;
    const table = catalog.getTable(name.schema, name.name, positionOf(name.location));
    const columns = columnIndexes(statement, table).map((i) => quoteIdent(table.columns[i]!.name));
    const parsed = parseSql(`SELECT ${columns.join(', ')} FROM ${quoteIdent(table.schema)}.${quoteIdent(table.name)}`)[0];
    if (parsed?.statement.kind !== 'query') throw new DbError('XX000', `internal error: cannot read table "${table.name}" for COPY`);
    query = parsed.statement.query;
  }
  const plan = bindQuery(query, context, catalog);
  const names = plan.schema.map((f) => f.name);
  const forceQuote = format.forceQuote === '*' ? names.map(() => true) : names.map((n) => (format.forceQuote as readonly string[]).includes(n));
  if (format.forceQuote !== '*') {
    for (const n of format.forceQuote) if (!names.includes(n)) throw new DbError('42P10', `FORCE_QUOTE column "${n}" not referenced by COPY`);
  }
  return { kind: 'copyTo', plan, format, forceQuote };
}

function columnIndexes(statement: Ast.CopyStatement, table: TableDef): number[] {
  if (statement.columns === null) return table.columns.map((_, i) => i);
  const seen = new Set<number>();
  return statement.columns.map((c) => {
    const index = table.columns.findIndex((column) => column.name === c.name);
    if (index < 0) throw new DbError('42703', `column "${c.name}" of relation "${table.name}" does not exist`);
    if (seen.has(index)) throw new DbError('42701', `column "${c.name}" specified more than once`);
    seen.add(index);
    return index;
  });
}
