/**
 * Database: the durable storage engine behind one data directory.
 *
 *   commit  -> WAL record (group commit, fdatasync) -> applied to partition tails -> resolved
 *   flush   -> tails frozen at an LSN -> sorted, encoded, compressed segments -> manifest
 *              published -> segments swapped in, tails trimmed -> covered WAL files deleted
 *   open    -> lock -> catalog + manifests -> WAL replay
 *
 * Everything that changes what a snapshot sees happens synchronously on the event loop, so a
 * snapshot (also synchronous) never observes half of a commit or half of a flush.
 */
import { writeCatalog, type CatalogState } from './catalog-file.js';
import { AsyncMutex } from './async-mutex.js';
import { BulkLoad, type BulkLoadLimits, defaultBulkLoadLimits } from './bulk-load.js';
import { partitionDirectory, tableDirectory, tablesDirectory, walDirectory } from './data-layout.js';
import { ioFailure } from './durable-file.js';
import { DbError, assert, duplicateTable } from './errors.js';
import { type FileSystem, realFileSystem } from './file-system.js';
import { type FlushedTable, flushTable, freezeTable, swapInFlushed } from './flush.js';
import { LockFile } from './lock-file.js';
import { emptyManifest } from './manifest.js';
import { recover } from './recovery.js';
import { SnapshotView, type TableSnapshot } from './snapshot.js';
import type { TableDef } from './table-def.js';
import { TableState } from './table-state.js';
import type { Batch } from './vector.js';
import { compactBatch } from './vector.js';
import { encodeWalRecord } from './wal-record.js';
import { WalWriter } from './wal-writer.js';

export type { FileSystem, FileHandle, OpenMode, FileStat } from './file-system.js';
export { realFileSystem } from './file-system.js';
export type { ColumnRange, ScanOptions, ScanStats, TableSnapshot } from './snapshot.js';
export { emptyScanStats } from './snapshot.js';
export type { BulkLoad, BulkLoadLimits } from './bulk-load.js';

export interface DatabaseOptions {
  /** Rows in all tails together that trigger a background checkpoint (default 1_000_000). */
  flushRowThreshold?: number;
  /**
   * Bytes in all tails together (as the WAL encodes them: UTF-8 strings, fixed widths) that
   * trigger a background checkpoint (default 256 MiB); commits wait for the running checkpoint
   * once the tails hold twice that. Bounds tail memory where rows are wide (strings, JSON).
   */
  flushBytesThreshold?: number;
  /** Checkpoint at least this often when the tail is non-empty (default 30_000 ms). */
  flushIntervalMs?: number;
  /** Rows per block inside a segment (default 65_536). */
  blockRows?: number;
  /** File system layer, so fault tests can inject fsync errors / ENOSPC (default: real fs). */
  fileSystem?: FileSystem;
  /** Memory bounds of a bulk load's stage and the size below which it goes through the WAL. */
  bulkLoad?: Partial<BulkLoadLimits>;
}

/** Upper bound on partitions per table: each one is a directory and a tail. */
export const maxPartitionCount = 1024;

export class Database {
  private readonly tables: Map<number, TableState>;
  private catalog: CatalogState;
  private readonly catalogMutex = new AsyncMutex();
  private readonly checkpointMutex = new AsyncMutex();
  private tailRowsTotal = 0;
  /** Bytes of the WAL records whose rows are in tails; approximated by rows when part is flushed. */
  private tailBytesTotal = 0;
  private backgroundCheckpoint: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private closing = false;
  /** The last error of a background checkpoint (the data stays safe in the WAL meanwhile). */
  lastCheckpointError: DbError | null = null;
  /** What startup replayed from the WAL. */
  readonly recovery: { readonly replayedRecords: number; readonly replayedRows: number };

  private constructor(
    readonly dataDir: string,
    private readonly fs: FileSystem,
    private readonly lock: LockFile,
    private readonly wal: WalWriter,
    recovered: { catalog: CatalogState; tables: Map<number, TableState>; replayedRecords: number; replayedRows: number; replayedBytes: number },
    private readonly flushRowThreshold: number,
    private readonly flushBytesThreshold: number,
    flushIntervalMs: number,
    private readonly blockRows: number,
    private readonly bulkLoadLimits: BulkLoadLimits,
  ) {
    this.catalog = recovered.catalog;
    this.tables = recovered.tables;
    this.recovery = { replayedRecords: recovered.replayedRecords, replayedRows: recovered.replayedRows };
    for (const t of this.tables.values()) this.tailRowsTotal += t.tailRows();
    this.tailBytesTotal = recovered.replayedBytes;
    if (flushIntervalMs > 0 && Number.isFinite(flushIntervalMs)) {
      this.timer = setInterval(() => {
        if (this.tailRowsTotal > 0) this.startBackgroundCheckpoint();
      }, flushIntervalMs);
      this.timer.unref();
    }
  }

  /** Opens (creating if new) the data directory, takes its lock and recovers. */
  static async open(dataDir: string, options: DatabaseOptions = {}): Promise<Database> {
    const fs = options.fileSystem ?? realFileSystem;
    const blockRows = options.blockRows ?? 65_536;
    assert(Number.isInteger(blockRows) && blockRows > 0, `blockRows must be a positive integer, got ${blockRows}`);
    try {
      await fs.mkdir(dataDir);
    } catch (error) {
      throw ioFailure('create data directory', dataDir, error);
    }
    const lock = await LockFile.acquire(fs, dataDir);
    try {
      const recovered = await recover(fs, dataDir);
      const wal = new WalWriter(fs, walDirectory(dataDir), recovered.wal);
      return new Database(
        dataDir,
        fs,
        lock,
        wal,
        recovered,
        options.flushRowThreshold ?? 1_000_000,
        options.flushBytesThreshold ?? 256 * 2 ** 20,
        options.flushIntervalMs ?? 30_000,
        blockRows,
        { ...defaultBulkLoadLimits, ...options.bulkLoad },
      );
    } catch (error) {
      await lock.release().catch(() => undefined);
      throw error;
    }
  }

  listTables(): TableDef[] {
    return [...this.catalog.tables];
  }

  getTable(id: number): TableDef | undefined {
    return this.tables.get(id)?.def;
  }

  /** Durable (catalog written crash-safely) before it resolves. The id is assigned here, never reused. */
  createTable(def: Omit<TableDef, 'id'>): Promise<TableDef> {
    this.checkOpen();
    checkDefinition(def);
    return this.catalogMutex.run(async () => {
      this.checkOpen();
      if (this.catalog.tables.some((t) => t.schema === def.schema && t.name === def.name)) throw duplicateTable(def.name);
      const id = this.catalog.nextTableId;
      const table: TableDef = Object.freeze({ ...def, id });
      // Directories first: a crash before the catalog write leaves only an orphan directory.
      try {
        for (let p = 0; p < table.partitionCount; p++) await this.fs.mkdir(partitionDirectory(this.dataDir, id, p));
        await this.fs.syncDirectory(tableDirectory(this.dataDir, id));
        await this.fs.syncDirectory(tablesDirectory(this.dataDir));
      } catch (error) {
        throw ioFailure('create directory for table', table.name, error);
      }
      const next = { nextTableId: id + 1, tables: [...this.catalog.tables, table] };
      await writeCatalog(this.fs, this.dataDir, next);
      this.catalog = next;
      const segments = Array.from({ length: table.partitionCount }, () => []);
      this.tables.set(id, new TableState(table, emptyManifest(id, table.partitionCount), segments));
      return table;
    });
  }

  /** Durable; files removed; later WAL records for it are ignored. */
  dropTable(id: number): Promise<void> {
    this.checkOpen();
    return this.checkpointMutex.run(() =>
      this.catalogMutex.run(async () => {
        const state = this.tables.get(id);
        if (state === undefined) throw tableNotFound(id);
        const next = { nextTableId: this.catalog.nextTableId, tables: this.catalog.tables.filter((t) => t.id !== id) };
        await writeCatalog(this.fs, this.dataDir, next);
        this.catalog = next;
        this.tables.delete(id);
        this.forgetTailRows(state.tailRows());
        // Best effort: what is left is removed at the next startup.
        await this.fs.removeDirectory(tableDirectory(this.dataDir, id)).catch(() => undefined);
      }),
    );
  }

  /**
   * Appends rows to one or more tables atomically and durably: resolves only after the WAL
   * record is fsynced and the rows are visible to every later snapshot().
   */
  async commit(writes: readonly { tableId: number; batch: Batch }[]): Promise<void> {
    this.checkOpen();
    // Backpressure: when rows arrive faster than checkpoints drain them, wait for the running one
    // rather than let the tails grow without bound.
    const overBound = this.tailRowsTotal >= 2 * this.flushRowThreshold || this.tailBytesTotal >= 2 * this.flushBytesThreshold;
    if (overBound && this.backgroundCheckpoint !== null) {
      await this.backgroundCheckpoint;
    }
    const resolved = writes.map((w) => {
      const table = this.tables.get(w.tableId);
      if (table === undefined) throw tableNotFound(w.tableId);
      return { state: table, table: table.def, batch: compactBatch(w.batch) };
    });
    const record = encodeWalRecord(resolved);
    if (record === null) return;
    const tableIds = [...new Set(resolved.filter((w) => w.batch.length > 0).map((w) => w.table.id))];
    await this.wal.append(record, tableIds, (lsn) => {
      for (const w of resolved) {
        if (w.batch.length === 0 || this.tables.get(w.table.id) !== w.state) continue; // dropped meanwhile
        w.state.applyWrite(w.batch.columns, w.batch.length, lsn);
        this.tailRowsTotal += w.batch.length;
      }
      this.tailBytesTotal += record.length;
    });
    if (this.tailRowsTotal >= this.flushRowThreshold || this.tailBytesTotal >= this.flushBytesThreshold) this.startBackgroundCheckpoint();
  }

  /**
   * Starts a bulk load into one table: rows appended to it become durable and visible together
   * when its commit() resolves, and never if it is aborted or the process dies first (bulk-load.ts).
   */
  bulkLoad(tableId: number): BulkLoad {
    this.checkOpen();
    const table = this.tables.get(tableId);
    if (table === undefined) throw tableNotFound(tableId);
    const host = {
      fs: this.fs,
      dataDir: this.dataDir,
      blockRows: this.blockRows,
      table: (id: number) => this.tables.get(id),
      exclusive: <T>(work: () => Promise<T>) => this.checkpointMutex.run(work),
      commit: (writes: readonly { tableId: number; batch: Batch }[]) => this.commit(writes),
      checkOpen: () => this.checkOpen(),
    };
    return new BulkLoad(host, table, this.bulkLoadLimits);
  }

  /** A consistent read view of one table: pinned segments + committed tail prefix per partition. */
  snapshot(tableId: number): TableSnapshot {
    const table = this.tables.get(tableId);
    if (table === undefined) throw tableNotFound(tableId);
    const views = table.partitions.map((p) => ({ segments: p.segments, tail: p.tail, tailRows: p.tail.committedRows }));
    return new SnapshotView(table.def, this.fs, views);
  }

  /** Flushes every tail into segments, publishes manifests, deletes obsolete WAL files. */
  checkpoint(): Promise<void> {
    this.checkOpen();
    return this.checkpointMutex.run(() => this.runCheckpoint());
  }

  /** Stops background work, finishes in-flight commits, checkpoints optionally (default yes), releases the lock. */
  async close(options: { checkpoint?: boolean } = {}): Promise<void> {
    if (this.closed || this.closing) return;
    this.closing = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    if (this.backgroundCheckpoint !== null) await this.backgroundCheckpoint;
    try {
      if ((options.checkpoint ?? true) && this.wal.failed === null) {
        await this.checkpointMutex.run(() => this.runCheckpoint());
      }
    } finally {
      this.closed = true;
      await this.checkpointMutex.run(async () => undefined);
      await this.wal.close();
      await this.lock.release().catch(() => undefined);
    }
  }

  /** Rows in tails that a checkpoint would flush (for tests and monitoring). */
  get pendingTailRows(): number {
    return this.tailRowsTotal;
  }

  /** Estimated bytes in tails (WAL-encoded size), for tests and monitoring. */
  get pendingTailBytes(): number {
    return this.tailBytesTotal;
  }

  /** Rows left the tails (flushed or dropped): their bytes leave at the tails' average row size. */
  private forgetTailRows(rows: number): void {
    const before = this.tailRowsTotal;
    this.tailRowsTotal -= rows;
    this.tailBytesTotal = this.tailRowsTotal <= 0 ? 0 : this.tailBytesTotal * (this.tailRowsTotal / before);
  }

  /** Group-commit counters: fsync rounds, records, bytes. */
  get walStats(): { readonly groups: number; readonly records: number; readonly bytes: number } {
    return this.wal.stats;
  }

  private checkOpen(): void {
    if (this.closed) throw new DbError('55000', 'the database is shut down');
  }

  private startBackgroundCheckpoint(): void {
    if (this.backgroundCheckpoint !== null || this.closing || this.closed || this.wal.failed !== null) return;
    this.backgroundCheckpoint = this.checkpointMutex
      .run(() => this.runCheckpoint())
      .then(
        () => {
          this.lastCheckpointError = null;
        },
        (error: unknown) => {
          this.lastCheckpointError = error instanceof DbError ? error : ioFailure('checkpoint', this.dataDir, error);
        },
      )
      .finally(() => {
        this.backgroundCheckpoint = null;
      });
  }

  private async runCheckpoint(): Promise<void> {
    if (this.wal.failed !== null) throw this.wal.failed;
    // After the rotation every record in older files is applied, so freezing now covers them.
    await this.wal.rotate();
    const lsn = this.wal.appliedLsn;
    const work = [...this.tables.values()]
      .map((table) => ({ table, frozen: freezeTable(table) }))
      .filter((w) => w.frozen.some((f) => f.rows > 0));
    let firstError: unknown = null;
    for (const { table, frozen } of work) {
      let flushed: FlushedTable;
      try {
        flushed = await flushTable(this.fs, this.dataDir, table, frozen, lsn, this.blockRows);
      } catch (error) {
        firstError ??= error;
        continue;
      }
      if (this.tables.get(table.def.id) !== table) continue;
      this.forgetTailRows(swapInFlushed(flushed));
    }
    await this.wal.deleteClosedFiles((info) => {
      for (const [tableId, maxLsn] of info.tableMaxLsn) {
        const table = this.tables.get(tableId);
        if (table !== undefined && table.manifest.flushedLsn < maxLsn) return false;
      }
      return true;
    });
    if (firstError !== null) throw firstError;
  }
}

function tableNotFound(id: number): DbError {
  return new DbError('42P01', `table with id ${id} does not exist`);
}

function checkDefinition(def: Omit<TableDef, 'id'>): void {
  const n = def.columns.length;
  const bad = (what: string) => new DbError('22023', `invalid definition of table "${def.name}": ${what}`);
  if (n === 0) throw bad('a table needs at least one column');
  if (n > 1600) throw new DbError('54011', 'tables can have at most 1600 columns');
  if (!Number.isInteger(def.partitionCount) || def.partitionCount < 1 || def.partitionCount > maxPartitionCount) {
    throw bad(`partition count must be between 1 and ${maxPartitionCount}, got ${def.partitionCount}`);
  }
  const isColumn = (i: number) => Number.isInteger(i) && i >= 0 && i < n;
  if (def.partitionKey !== null && !isColumn(def.partitionKey)) throw bad(`partition key column ${def.partitionKey} does not exist`);
  for (const k of def.sortKey) if (!isColumn(k)) throw bad(`sort key column ${k} does not exist`);
  for (const c of def.columns) {
    if (c.type.id === 'unknown') throw bad(`column "${c.name}" has no resolved type`);
  }
}
