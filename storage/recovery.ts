/**
 * Startup: load the catalog and manifests, remove what an interrupted operation left behind,
 * and replay the WAL into the tails.
 *
 * Replay applies, for each table, the records with lsn > that table's flushedLsn (older ones are
 * already in its segments) and skips tables no longer in the catalog. It stops at the first
 * record whose length or CRC is bad: that file is truncated there (its records after that point
 * were never acknowledged, since acknowledgement follows fsync in order) and any later files are
 * set aside as *.wal.discarded. Appending then continues at the end of the valid prefix.
 */
import { readCatalog, writeCatalog, type CatalogState } from './catalog-file.js';
import { partitionDirectory, tableDirectory, tablesDirectory, walDirectory } from './data-layout.js';
import { ioFailure, tempSuffix } from './durable-file.js';
import { dataCorrupted } from './errors.js';
import type { FileSystem } from './file-system.js';
import { readManifest } from './manifest.js';
import { Segment } from './segment-reader.js';
import { TableState } from './table-state.js';
import { scanWalFile } from './wal-reader.js';
import { decodeWalPayload, type RecordWrite } from './wal-record.js';
import { type WalFileInfo, WalWriter, type WalWriterState, walFileName, walFileSeq } from './wal-writer.js';
import type { Vector } from './vector.js';

export interface Recovered {
  readonly catalog: CatalogState;
  readonly tables: Map<number, TableState>;
  readonly wal: WalWriterState;
  /** Records replayed and rows put back into tails, for logs and tests. */
  readonly replayedRecords: number;
  readonly replayedRows: number;
  /** Payload bytes of the records replayed: the tails' size as the WAL encodes it. */
  readonly replayedBytes: number;
}

async function removeLeftovers(fs: FileSystem, dir: string, keep: (name: string) => boolean): Promise<void> {
  for (const name of await fs.readdir(dir)) {
    if (!keep(name)) await fs.unlink(`${dir}/${name}`);
  }
}

async function loadTables(fs: FileSystem, dataDir: string, catalog: CatalogState): Promise<Map<number, TableState>> {
  const tables = new Map<number, TableState>();
  const live = new Set(catalog.tables.map((t) => String(t.id)));
  for (const name of await fs.readdir(tablesDirectory(dataDir))) {
    if (!live.has(name)) await fs.removeDirectory(`${tablesDirectory(dataDir)}/${name}`); // dropped, or created but never committed to the catalog
  }
  for (const def of catalog.tables) {
    const manifest = await readManifest(fs, dataDir, def.id, def.partitionCount);
    await removeLeftovers(fs, tableDirectory(dataDir, def.id), (n) => !n.endsWith(tempSuffix));
    const segments: Segment[][] = [];
    for (let p = 0; p < def.partitionCount; p++) {
      const dir = partitionDirectory(dataDir, def.id, p);
      await fs.mkdir(dir);
      const named = new Set(manifest.partitions[p]!.segments.map((s) => s.file));
      await removeLeftovers(fs, dir, (n) => named.has(n));
      const loaded: Segment[] = [];
      for (const s of manifest.partitions[p]!.segments) {
        const segment = await Segment.load(fs, `${dir}/${s.file}`, def.columns);
        if (segment.rows !== s.rows) throw dataCorrupted(`segment file "${segment.path}" holds ${segment.rows} rows, its manifest says ${s.rows}`);
        loaded.push(segment);
      }
      segments.push(loaded);
    }
    tables.set(def.id, new TableState(def, manifest, segments));
  }
  return tables;
}

function replayWrite(table: TableState, write: RecordWrite, lsn: number): void {
  const columns = table.def.columns;
  if (write.columns.length !== columns.length) {
    throw dataCorrupted(`write-ahead log record ${lsn} has ${write.columns.length} columns for table ${table.def.id}, which has ${columns.length}`);
  }
  const vectors: Vector[] = columns.map((column, c) => {
    const decoded = write.columns[c]!;
    if (decoded.layout !== column.type.layout) {
      throw dataCorrupted(`write-ahead log record ${lsn} stores column "${column.name}" as ${decoded.layout}`);
    }
    if (Array.isArray(decoded.values)) {
      return { kind: 'string', type: column.type, length: write.rowCount, values: decoded.values, validity: decoded.validity };
    }
    return { kind: 'fixed', type: column.type, length: write.rowCount, values: decoded.values, validity: decoded.validity };
  });
  table.applyWrite(vectors, write.rowCount, lsn);
}

export async function recover(fs: FileSystem, dataDir: string): Promise<Recovered> {
  const walDir = walDirectory(dataDir);
  try {
    await fs.mkdir(walDir);
    await fs.mkdir(tablesDirectory(dataDir));
  } catch (error) {
    throw ioFailure('create directory in', dataDir, error);
  }
  let catalog = await readCatalog(fs, dataDir);
  if (catalog === null) {
    catalog = { nextTableId: 1, tables: [] };
    await writeCatalog(fs, dataDir, catalog);
  }
  const tables = await loadTables(fs, dataDir, catalog);

  const files = (await fs.readdir(walDir))
    .map((name) => ({ name, seq: walFileSeq(name) }))
    .filter((f): f is { name: string; seq: number } => f.seq !== null)
    .sort((a, b) => a.seq - b.seq);
  const infos: WalFileInfo[] = [];
  let lastLsn = 0;
  let lastValidLength = 0;
  let replayedRecords = 0;
  let replayedRows = 0;
  let replayedBytes = 0;
  for (let i = 0; i < files.length; i++) {
    const file = files[i]!;
    const path = `${walDir}/${file.name}`;
    const info: WalFileInfo = { seq: file.seq, tableMaxLsn: new Map() };
    const scan = await scanWalFile(fs, path, lastLsn, (lsn, payload) => {
      let applied = false;
      for (const write of decodeWalPayload(payload)) {
        info.tableMaxLsn.set(write.tableId, lsn);
        const table = tables.get(write.tableId);
        if (table === undefined || lsn <= table.manifest.flushedLsn) continue;
        replayWrite(table, write, lsn);
        replayedRows += write.rowCount;
        applied = true;
      }
      if (applied) {
        replayedRecords++;
        replayedBytes += payload.length;
      }
    });
    infos.push(info);
    lastLsn = scan.lastLsn;
    lastValidLength = scan.validLength;
    const isLast = i === files.length - 1;
    if (scan.validLength < scan.fileLength) {
      const handle = await fs.open(path, 'readWrite');
      try {
        await handle.truncate(scan.validLength);
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    if (scan.end === 'torn' && !isLast) {
      for (const later of files.slice(i + 1)) {
        await fs.rename(`${walDir}/${later.name}`, `${walDir}/${later.name}.discarded`);
      }
      await fs.syncDirectory(walDir);
      files.length = i + 1;
      break;
    }
  }

  let maxFlushed = 0;
  for (const t of tables.values()) maxFlushed = Math.max(maxFlushed, t.manifest.flushedLsn);
  const nextLsn = Math.max(lastLsn, maxFlushed) + 1;
  const current = infos.pop();
  let wal: WalWriterState;
  if (current === undefined) {
    const handle = await WalWriter.createFile(fs, walDir, 1);
    wal = { seq: 1, handle, position: 0, info: { seq: 1, tableMaxLsn: new Map() }, closedFiles: [], nextLsn };
  } else {
    const handle = await fs.open(`${walDir}/${walFileName(current.seq)}`, 'readWrite');
    wal = { seq: current.seq, handle, position: lastValidLength, info: current, closedFiles: infos, nextLsn };
  }
  return { catalog, tables, wal, replayedRecords, replayedRows, replayedBytes };
}
