/**
 * The catalog: schemas and tables as the SQL layer sees them, over storage's persisted table
 * definitions. Eventide has one database and one user schema, `public`; `pg_catalog` and
 * `information_schema` are served by the SQL layer.
 */
import { DbError, duplicateTable, undefinedTable } from '../../storage/errors.js';
import type { Database } from '../../storage/database.js';
import type { TableDef } from '../../storage/table-def.js';
import type { IngestRules } from '../ingest/rules.js';

export const defaultSchema = 'public';
/** Table OIDs start where PostgreSQL's user objects start. */
export const firstTableOid = 16384;

export function tableOid(tableId: number): number {
  return firstTableOid + tableId;
}

export class Catalog {
  /** @param ingestRules the rules rows enter by, whose counters the system views show */
  constructor(
    readonly database: Database,
    readonly ingestRules: IngestRules | null = null,
  ) {}

  findTable(schema: string | null, name: string): TableDef | undefined {
    const wanted = schema ?? defaultSchema;
    return this.database.listTables().find((t) => t.schema === wanted && t.name === name);
  }

  /** Looks a table up or throws 42P01 (with the error position when known). */
  getTable(schema: string | null, name: string, position?: number): TableDef {
    if (schema !== null && schema !== defaultSchema) {
      if (schema === 'pg_catalog' || schema === 'information_schema') {
        throw new DbError('0A000', `catalog relation "${schema}.${name}" is not supported`, position === undefined ? {} : { position });
      }
      throw undefinedTable(`${schema}.${name}`).withPosition(position);
    }
    const table = this.findTable(schema, name);
    if (table === undefined) throw undefinedTable(schema === null ? name : `${schema}.${name}`).withPosition(position);
    return table;
  }

  checkSchema(schema: string | null, position?: number): string {
    if (schema === null || schema === defaultSchema) return defaultSchema;
    throw new DbError('3F000', `schema "${schema}" does not exist`, position === undefined ? {} : { position });
  }

  assertAbsent(schema: string, name: string): void {
    if (this.findTable(schema, name) !== undefined) throw duplicateTable(name);
  }
}
