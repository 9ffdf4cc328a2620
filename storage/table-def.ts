/** The persisted definition of a table, as storage needs it: columns, partitioning, sort order. */
import type { DataType } from './types.js';

export interface ColumnDef {
  readonly name: string;
  readonly type: DataType;
  readonly notNull: boolean;
  /** The DEFAULT expression as SQL text; storage keeps it, the SQL layer binds it. */
  readonly defaultSql: string | null;
}

export interface TableDef {
  /** Never reused, so WAL records of a dropped table are recognisable at replay. */
  readonly id: number;
  readonly schema: string;
  readonly name: string;
  readonly columns: readonly ColumnDef[];
  /** Column index of the hash partition key, or null for round-robin by batch. */
  readonly partitionKey: number | null;
  readonly partitionCount: number;
  /** Column indexes rows are sorted by when the tail is flushed into a segment. */
  readonly sortKey: readonly number[];
  /** Declared but not enforced (as in Redshift and Snowflake); shown in the catalog. */
  readonly primaryKey: readonly string[] | null;
  readonly unique: readonly (readonly string[])[];
  /** Storage options from WITH (...), kept as given. */
  readonly options: Readonly<Record<string, string>>;
}
