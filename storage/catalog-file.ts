/**
 * catalog.json: every table definition and the next table id, written crash-safely as a whole
 * on each CREATE/DROP. Types are stored by id and typmod and rebuilt from storage/types.ts.
 */
import { catalogFileName } from './data-layout.js';
import { decodeChecksummedJson, encodeChecksummedJson, ioFailure, writeFileDurably } from './durable-file.js';
import { dataCorrupted } from './errors.js';
import type { FileSystem } from './file-system.js';
import type { ColumnDef, TableDef } from './table-def.js';
import { type TypeId, Types, withTypmod } from './types.js';

export interface CatalogState {
  readonly nextTableId: number;
  readonly tables: readonly TableDef[];
}

interface StoredColumn {
  readonly name: string;
  readonly type: TypeId;
  readonly typmod: number;
  readonly notNull: boolean;
  readonly defaultSql: string | null;
}

interface StoredTable extends Omit<TableDef, 'columns'> {
  readonly columns: readonly StoredColumn[];
}

interface StoredCatalog {
  readonly format: 1;
  readonly nextTableId: number;
  readonly tables: readonly StoredTable[];
}

function storeTable(table: TableDef): StoredTable {
  return {
    ...table,
    columns: table.columns.map((c) => ({
      name: c.name,
      type: c.type.id,
      typmod: c.type.typmod,
      notNull: c.notNull,
      defaultSql: c.defaultSql,
    })),
  };
}

function loadTable(stored: StoredTable, path: string): TableDef {
  const columns: ColumnDef[] = stored.columns.map((c) => {
    const type = (Types as Record<string, (typeof Types)[TypeId] | undefined>)[c.type];
    if (type === undefined) throw dataCorrupted(`unknown type "${c.type}" in "${path}"`);
    return { name: c.name, type: withTypmod(type, c.typmod), notNull: c.notNull, defaultSql: c.defaultSql };
  });
  return Object.freeze({ ...stored, columns: Object.freeze(columns) });
}

export async function readCatalog(fs: FileSystem, dataDir: string): Promise<CatalogState | null> {
  const path = `${dataDir}/${catalogFileName}`;
  if ((await fs.stat(path)) === null) return null;
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(path);
  } catch (error) {
    throw ioFailure('read', path, error);
  }
  const stored = decodeChecksummedJson(bytes, path) as StoredCatalog;
  if (stored.format !== 1) throw dataCorrupted(`unsupported catalog format in "${path}"`);
  return { nextTableId: stored.nextTableId, tables: stored.tables.map((t) => loadTable(t, path)) };
}

export async function writeCatalog(fs: FileSystem, dataDir: string, state: CatalogState): Promise<void> {
  const stored: StoredCatalog = { format: 1, nextTableId: state.nextTableId, tables: state.tables.map(storeTable) };
  await writeFileDurably(fs, `${dataDir}/${catalogFileName}`, encodeChecksummedJson(stored));
}
