/** Binds CREATE TABLE into a storage TableDef, checking names, types, keys and storage options. */
import { DbError, featureNotSupported } from '../../../storage/errors.js';
import type { ColumnDef, TableDef } from '../../../storage/table-def.js';
import type * as Ast from '../ast.js';
import type { Catalog } from '../../catalog/catalog.js';
import { ExprBinder, positionOf, type BindContext } from './bind-expr.js';
import { assign } from './bind-insert.js';
import { Scope } from './scope.js';
import { resolveTypeName } from './type-names.js';
import { isBotOption, resolveBotOptions } from '../../ingest/bot-options.js';

export const maxPartitions = 256;

export function bindCreateTable(statement: Extract<Ast.Statement, { kind: 'createTable' }>, context: BindContext, catalog: Catalog): Omit<TableDef, 'id'> {
  if (statement.unsupported !== null) throw featureNotSupported(statement.unsupported);
  const schema = catalog.checkSchema(statement.table.schema, positionOf(statement.table.location));
  const columns: ColumnDef[] = [];
  const names = new Set<string>();
  for (const c of statement.columns) {
    if (names.has(c.name)) throw new DbError('42701', `column "${c.name}" specified more than once`).withPosition(positionOf(c.location));
    names.add(c.name);
    const type = resolveTypeName(c.type);
    const column: ColumnDef = { name: c.name, type, notNull: c.notNull, defaultSql: c.defaultSql };
    if (c.defaultExpr !== null) {
      // Bind now so a bad default fails CREATE TABLE, as in PostgreSQL.
      const binder = new ExprBinder({ params: [], settings: context.settings, functions: context.functions, subqueries: [] }, Scope.empty(), 'DEFAULT');
      assign(binder, binder.bind(c.defaultExpr), column, c.defaultExpr.location);
    }
    columns.push(column);
  }
  if (columns.length > 1600) throw new DbError('54011', 'tables can have at most 1600 columns');
  const columnIndex = (name: string, what: string, location = -1): number => {
    const index = columns.findIndex((c) => c.name === name);
    if (index < 0) throw new DbError('42703', `column "${name}" named in ${what} does not exist`).withPosition(positionOf(location));
    return index;
  };
  const primaryKey = statement.primaryKey;
  if (primaryKey !== null) {
    for (const name of primaryKey) {
      const i = columnIndex(name, 'key');
      columns[i] = { ...(columns[i] as ColumnDef), notNull: true };
    }
  }
  for (const key of statement.unique) for (const name of key) columnIndex(name, 'key');

  let partitionKey: number | null = null;
  if (statement.partitionBy !== null) {
    const p = statement.partitionBy;
    if (p.strategy !== 'hash') throw featureNotSupported(`PARTITION BY ${p.strategy.toUpperCase()}`).withPosition(positionOf(p.location));
    if (p.columns.length !== 1 || p.columns[0] === '') throw featureNotSupported('partition keys of more than one column or of expressions').withPosition(positionOf(p.location));
    partitionKey = columnIndex(p.columns[0] as string, 'partition key', p.location);
  }

  const options: Record<string, string> = {};
  let partitionCount = partitionKey === null ? 1 : 8;
  let sortKey: number[] | null = null;
  for (const option of statement.options) {
    if (Object.hasOwn(options, option.name)) throw new DbError('22023', `parameter "${option.name}" specified more than once`);
    options[option.name] = option.value;
    switch (option.name) {
      case 'partitions': {
        const n = Number(option.value);
        if (!Number.isInteger(n) || n < 1 || n > maxPartitions) {
          throw new DbError('22023', `value ${option.value} out of bounds for option "partitions"`, { detail: `Valid values are between "1" and "${maxPartitions}".` });
        }
        partitionCount = n;
        break;
      }
      case 'sort_key':
        sortKey = option.value.split(',').map((s) => s.trim()).filter((s) => s !== '').map((name) => columnIndex(name, 'sort key', option.location));
        break;
      default:
        if (isBotOption(option.name)) break;
        throw new DbError('22023', `unrecognized parameter "${option.name}"`).withPosition(positionOf(option.location));
    }
  }
  // Bot filtering options name columns and rules: checked here so a bad one fails CREATE TABLE.
  resolveBotOptions(columns, options);
  // Without a sort key, segments are sorted by the first time column: time filters prune best.
  sortKey ??= defaultSortKey(columns);
  return {
    schema,
    name: statement.table.name,
    columns,
    partitionKey,
    partitionCount,
    sortKey,
    primaryKey,
    unique: statement.unique,
    options,
  };
}

function defaultSortKey(columns: readonly ColumnDef[]): number[] {
  const index = columns.findIndex((c) => c.type.id === 'timestamptz' || c.type.id === 'timestamp' || c.type.id === 'date');
  return index >= 0 ? [index] : [];
}
