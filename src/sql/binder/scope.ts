/** Name resolution: the columns visible to an expression, grouped by the table (alias) they come from. */
import { ambiguousColumn, DbError, undefinedColumn } from '../../../storage/errors.js';
import type { DataType } from '../../../storage/types.js';

export interface ScopeColumn {
  readonly name: string;
  readonly type: DataType;
  /** Index into the input schema of the plan node the expression is bound against. */
  readonly index: number;
  readonly tableId: number;
  readonly columnNumber: number;
  /** A JOIN ... USING column of one side: reachable as table.column only (the merged one is unqualified). */
  readonly qualifiedOnly?: boolean;
}

export interface ScopeTable {
  /** The alias, or the table name when there is none. */
  readonly name: string;
  readonly schema: string | null;
  readonly columns: readonly ScopeColumn[];
}

export class Scope {
  constructor(readonly tables: readonly ScopeTable[]) {}

  static empty(): Scope {
    return new Scope([]);
  }

  /** Resolves `col`, `table.col` or `schema.table.col`; throws 42703/42702/42P01 like PostgreSQL. */
  resolve(parts: readonly string[], position: number | undefined): ScopeColumn {
    const at = (error: DbError) => error.withPosition(position);
    if (parts.length === 1) {
      const name = parts[0] as string;
      let found: ScopeColumn | undefined;
      for (const table of this.tables) {
        for (const column of table.columns) {
          if (column.name !== name || column.qualifiedOnly === true) continue;
          if (found !== undefined) throw at(ambiguousColumn(name));
          found = column;
        }
      }
      if (found === undefined) throw at(undefinedColumn(name));
      return found;
    }
    if (parts.length > 3) {
      throw at(new DbError('42601', `improper qualified name (too many dotted names): ${parts.join('.')}`));
    }
    const tableName = parts[parts.length - 2] as string;
    const schemaName = parts.length === 3 ? (parts[0] as string) : null;
    const columnName = parts[parts.length - 1] as string;
    const table = this.tables.find((t) => t.name === tableName && (schemaName === null || t.schema === schemaName));
    if (table === undefined) {
      throw at(new DbError('42P01', `missing FROM-clause entry for table "${tableName}"`));
    }
    const column = table.columns.find((c) => c.name === columnName);
    if (column === undefined) throw at(new DbError('42703', `column ${tableName}.${columnName} does not exist`));
    return column;
  }

  /** Whether `parts` names exactly one column here. */
  has(parts: readonly string[]): boolean {
    try {
      this.resolve(parts, undefined);
      return true;
    } catch {
      return false;
    }
  }

  /** Columns for `*` or `table.*`, in order. */
  star(table: string | null, position: number | undefined): ScopeColumn[] {
    if (table === null) return this.tables.flatMap((t) => t.columns.filter((c) => c.qualifiedOnly !== true));
    const found = this.tables.find((t) => t.name === table);
    if (found === undefined) throw new DbError('42P01', `missing FROM-clause entry for table "${table}"`).withPosition(position);
    return [...found.columns];
  }
}
