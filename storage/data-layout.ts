/**
 * Where things live in a data directory (see storage/README.md):
 *   catalog.json                         table definitions and the next table id
 *   eventide.lock                        process id of the owner
 *   wal/NNNNNNNN.wal                     the write-ahead log, one sequence for all tables
 *   tables/<id>/manifest.json            the table's segments per partition and its flushedLsn
 *   tables/<id>/p<partition>/<n>.seg     segment files
 */
export const catalogFileName = 'catalog.json';

export function walDirectory(dataDir: string): string {
  return `${dataDir}/wal`;
}

export function tablesDirectory(dataDir: string): string {
  return `${dataDir}/tables`;
}

export function tableDirectory(dataDir: string, tableId: number): string {
  return `${dataDir}/tables/${tableId}`;
}

export function manifestPath(dataDir: string, tableId: number): string {
  return `${tableDirectory(dataDir, tableId)}/manifest.json`;
}

export function partitionDirectory(dataDir: string, tableId: number, partition: number): string {
  return `${tableDirectory(dataDir, tableId)}/p${partition}`;
}

export function segmentFileName(segmentId: number): string {
  return `${String(segmentId).padStart(8, '0')}.seg`;
}

export function segmentPath(dataDir: string, tableId: number, partition: number, file: string): string {
  return `${partitionDirectory(dataDir, tableId, partition)}/${file}`;
}
