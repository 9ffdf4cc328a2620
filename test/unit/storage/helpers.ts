/** Shared helpers for storage tests: temporary data directories, tables, batches, full scans. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScanOptions, TableSnapshot } from '../../../storage/database.js';
import type { ColumnDef, TableDef } from '../../../storage/table-def.js';
import { type DataType, type Value } from '../../../storage/types.js';
import { type Batch, getValue, makeBatch, vectorFromValues } from '../../../storage/vector.js';

const made: string[] = [];

export function tempDataDir(prefix = 'eventide-storage-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function column(name: string, type: DataType, notNull = false): ColumnDef {
  return { name, type, notNull, defaultSql: null };
}

export function tableDef(
  name: string,
  columns: ColumnDef[],
  extra: Partial<Omit<TableDef, 'id' | 'name' | 'columns'>> = {},
): Omit<TableDef, 'id'> {
  return {
    schema: 'public',
    name,
    columns,
    partitionKey: null,
    partitionCount: 1,
    sortKey: [],
    primaryKey: null,
    unique: [],
    options: {},
    ...extra,
  };
}

/** A batch from rows of JS values, typed by the table's columns. */
export function batchOf(def: Pick<TableDef, 'columns'>, rows: readonly (readonly Value[])[]): Batch {
  return makeBatch(
    def.columns.map((c, i) => vectorFromValues(c.type, rows.map((r) => r[i] ?? null))),
    rows.length,
  );
}

/** Every row of a batch as JS values. */
export function rowsOf(batch: Batch): Value[][] {
  const out: Value[][] = [];
  const n = batch.selection ? batch.selection.length : batch.length;
  for (let i = 0; i < n; i++) {
    const r = batch.selection ? (batch.selection[i] as number) : i;
    out.push(batch.columns.map((c) => getValue(c, r)));
  }
  return out;
}

export async function scanRows(snapshot: TableSnapshot, options: Partial<ScanOptions> = {}): Promise<Value[][]> {
  const columns = options.columns ?? snapshot.table.columns.map((_, i) => i);
  const out: Value[][] = [];
  for await (const batch of snapshot.scan({ ...options, columns })) out.push(...rowsOf(batch));
  return out;
}

/** A total order over rows of JS values, for comparing row multisets. */
export function sortRows(rows: Value[][]): Value[][] {
  const key = (v: Value) => (v === null ? 'null' : typeof v === 'bigint' ? `b${v}` : `${typeof v}:${String(v)}`);
  return [...rows].sort((a, b) => {
    const ka = a.map(key).join('\u0000');
    const kb = b.map(key).join('\u0000');
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}
