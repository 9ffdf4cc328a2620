/**
 * A bulk load (COPY FROM STDIN, JSON-lines files): many rows made visible all at once or not at
 * all, without holding them all in memory and without writing them to the WAL.
 *
 *   append  -> rows partitioned as commit() would place them, staged in per-partition buffers;
 *              when the stage holds `stageRows` rows or about `stageBytes` bytes, every
 *              partition's staged rows are sorted, encoded and written as segment files that no
 *              manifest names yet (fsync'd), and the stage starts empty again
 *   commit  -> the last staged rows are written too; then, under the checkpoint mutex, one
 *              manifest write publishes all the load's segments (the atomic commit point), and
 *              they are swapped in synchronously, so a snapshot sees all of the load or none
 *   abort   -> the load's files are removed; nothing was ever visible
 *
 * A load that stays small (below `smallLoadRows` rows and no file written) is committed through
 * the WAL like an INSERT instead, so small COPYs do not make tiny segments. A crash before the
 * publish leaves only files no manifest names, which startup deletes. A bulk publish keeps the
 * table's flushedLsn: WAL replay is unaffected by it.
 */
import { AsyncMutex } from './async-mutex.js';
import { tableDirectory } from './data-layout.js';
import { DbError, assert } from './errors.js';
import type { FileSystem } from './file-system.js';
import { type Manifest, writeManifest } from './manifest.js';
import { BulkStage } from './bulk-stage.js';
import { segmentFile, writePartitionSegments } from './partition-segments.js';
import type { Segment } from './segment-reader.js';
import type { TableState } from './table-state.js';
import { type Batch, type Vector, compactBatch, makeBatch } from './vector.js';
import { layoutWidth } from './layout-code.js';

/** What a bulk load needs of its Database. */
export interface BulkLoadHost {
  readonly fs: FileSystem;
  readonly dataDir: string;
  readonly blockRows: number;
  /** The live state of a table; undefined once it is dropped. */
  table(id: number): TableState | undefined;
  /** Runs `work` under the checkpoint mutex, so a publish never interleaves with a flush or a drop. */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  /** The ordinary WAL commit, for small loads. */
  commit(writes: readonly { tableId: number; batch: Batch }[]): Promise<void>;
  checkOpen(): void;
}

export interface BulkLoadLimits {
  /** Staged rows (all partitions) that trigger writing them out. */
  readonly stageRows: number;
  /** Estimated staged bytes (JS memory) that trigger writing them out. */
  readonly stageBytes: number;
  /** Loads below this many rows that wrote no file go through the WAL. */
  readonly smallLoadRows: number;
}

export const defaultBulkLoadLimits: BulkLoadLimits = { stageRows: 1 << 20, stageBytes: 256 << 20, smallLoadRows: 65_536 };

/** Estimated JS heap bytes of a string (header + UTF-16 payload) and its array slot. */
const stringOverheadBytes = 24;

type LoadState = 'open' | 'committing' | 'committed' | 'aborted' | 'failed';

export class BulkLoad {
  private readonly mutex = new AsyncMutex();
  private readonly stage: BulkStage;
  private stagedRows = 0;
  private stagedBytes = 0;
  private totalRows = 0;
  private nextPartition = 0;
  /** Per partition, the segment files written so far (not published). */
  private readonly written: Segment[][];
  private state: LoadState = 'open';
  private failure: unknown = null;

  constructor(
    private readonly host: BulkLoadHost,
    private readonly table: TableState,
    private readonly limits: BulkLoadLimits = defaultBulkLoadLimits,
  ) {
    this.stage = new BulkStage(table.def);
    this.written = table.partitions.map(() => []);
  }

  /** Rows appended so far. */
  get rows(): number {
    return this.totalRows;
  }

  /** Segment files written so far (for tests and progress reports). */
  get filesWritten(): number {
    let n = 0;
    for (const w of this.written) n += w.length;
    return n;
  }

  /**
   * Stages the rows of `batch`; may write segment files. Rows are not visible before commit().
   * The batch's arrays may be kept until they are written out: the caller must not reuse them.
   */
  append(batch: Batch): Promise<void> {
    return this.step(async () => {
      this.checkUsable('append to');
      const rows = compactBatch(batch);
      this.checkBatch(rows);
      if (rows.length === 0) return;
      this.stageRows(rows);
      if (this.stagedRows >= this.limits.stageRows || this.stagedBytes >= this.limits.stageBytes) await this.spill();
    });
  }

  /** Makes every appended row durable and visible at once; resolves with the row count. */
  commit(): Promise<number> {
    return this.step(async () => {
      this.checkUsable('commit');
      this.state = 'committing';
      if (this.filesWritten === 0 && this.totalRows < this.limits.smallLoadRows) {
        if (this.stage.rows > 0) {
          // One write of every row in arrival order: commit() places them by key hash as the
          // stage did, or, without a key, all in one partition, as for any other commit.
          const { vectors, rows } = this.stage.take();
          await this.host.commit([{ tableId: this.table.def.id, batch: makeBatch(vectors, rows.length) }]);
        }
      } else {
        await this.spill();
        await this.host.exclusive(() => this.publish());
      }
      this.state = 'committed';
      return this.totalRows;
    }, true);
  }

  /** Drops the load: its files are removed and nothing of it is ever visible. */
  abort(): Promise<void> {
    if (this.state === 'committed' || this.state === 'aborted') return Promise.resolve();
    // Not queued behind a failed step: abort must always be able to clean up.
    return this.mutex.run(async () => {
      if (this.state === 'committed' || this.state === 'aborted') return;
      this.state = 'aborted';
      this.stage.clear();
      await this.removeFiles();
    });
  }

  /** Runs one operation after the previous one; a failure leaves the load failed (abort cleans up). */
  private step<T>(work: () => Promise<T>, finalStep = false): Promise<T> {
    return this.mutex.run(async () => {
      try {
        return await work();
      } catch (error) {
        if (this.state === 'open' || this.state === 'committing') {
          this.state = 'failed';
          this.failure = error;
        }
        if (finalStep && this.state === 'failed' && !publishUncertain(error)) await this.removeFiles();
        throw error;
      }
    });
  }

  private checkUsable(action: string): void {
    this.host.checkOpen();
    if (this.state === 'failed') {
      throw this.failure instanceof DbError ? this.failure : new DbError('25P02', `cannot ${action} a bulk load that failed`);
    }
    if (this.state !== 'open') throw new DbError('55000', `cannot ${action} a bulk load that is ${this.state}`);
    this.checkTable();
  }

  private checkTable(): void {
    if (this.host.table(this.table.def.id) !== this.table) {
      throw new DbError('42P01', `relation "${this.table.def.name}" was dropped during a bulk load`);
    }
  }

  private checkBatch(batch: Batch): void {
    const columns = this.table.def.columns;
    if (batch.columns.length !== columns.length) {
      throw new DbError('XX000', `internal error: bulk load batch has ${batch.columns.length} columns, table "${this.table.def.name}" has ${columns.length}`);
    }
    batch.columns.forEach((vector, c) => {
      const column = columns[c]!;
      if (vector.type.layout !== column.type.layout || vector.length !== batch.length) {
        throw new DbError('XX000', `internal error: bulk load column "${column.name}" holds ${vector.length} ${vector.type.name} values, expected ${batch.length} ${column.type.name}`);
      }
    });
  }

  /** Places rows as commit() would: by partition key hash, else a whole batch per partition in turn. */
  private stageRows(batch: Batch): void {
    this.stage.add(batch, this.nextPartition++);
    this.stagedRows += batch.length;
    this.totalRows += batch.length;
    this.stagedBytes += estimateBytes(batch.columns, batch.length);
  }

  /** Writes every partition's staged rows as unpublished segment files and empties the stage. */
  private async spill(): Promise<void> {
    if (this.stage.rows === 0) return;
    const { vectors, rows, starts } = this.stage.take();
    this.stagedRows = 0;
    this.stagedBytes = 0;
    const queue: number[] = [];
    for (let p = 0; p < this.written.length; p++) if ((starts[p + 1] as number) > (starts[p] as number)) queue.push(p);
    // Two partitions at a time: one is encoded while the other's file is fsync'd.
    let failure: { error: unknown } | null = null;
    const writer = async () => {
      for (let p = queue.shift(); p !== undefined && failure === null; p = queue.shift()) {
        try {
          this.checkTable();
          const { fs, dataDir, blockRows } = this.host;
          const list = rows.subarray(starts[p] as number, starts[p + 1] as number);
          this.written[p]!.push(...(await writePartitionSegments(fs, dataDir, this.table, p, vectors, list.length, blockRows, list)));
        } catch (error) {
          failure ??= { error };
        }
      }
    };
    await Promise.all([writer(), writer()]);
    if (failure !== null) {
      this.checkTable(); // a drop during the write is the better error
      throw (failure as { error: unknown }).error;
    }
  }

  /** Under the checkpoint mutex: one manifest write names every file of the load, then the swap. */
  private async publish(): Promise<void> {
    this.host.checkOpen();
    this.checkTable();
    const table = this.table;
    const current = table.manifest;
    const manifest: Manifest = {
      ...current,
      nextSegmentId: Math.max(current.nextSegmentId, table.nextSegmentId),
      partitions: current.partitions.map((part, p) => {
        const added = this.written[p]!;
        if (added.length === 0) return part;
        return { segments: [...part.segments, ...added.map((s) => ({ file: segmentFile(s), rows: s.rows }))] };
      }),
    };
    try {
      await writeManifest(this.host.fs, this.host.dataDir, manifest);
    } catch (error) {
      throw new PublishError(error);
    }
    // Synchronous from here: a snapshot sees every segment of the load or none.
    assert(table.manifest === current, 'manifest changed during a bulk publish');
    table.manifest = manifest;
    table.partitions.forEach((part, p) => {
      const added = this.written[p]!;
      if (added.length > 0) part.segments = [...part.segments, ...added];
    });
  }

  private async removeFiles(): Promise<void> {
    for (const segments of this.written) {
      for (const s of segments.splice(0)) await this.host.fs.unlink(s.path).catch(() => undefined);
    }
    // A drop's removal of the table's directory can lose a race with a file this load was
    // creating in it; the table is gone for good (ids are never reused), so finish the job.
    if (this.host.table(this.table.def.id) !== this.table) {
      await this.host.fs.removeDirectory(tableDirectory(this.host.dataDir, this.table.def.id)).catch(() => undefined);
    }
  }
}

/**
 * A failed manifest write may still have renamed the new manifest into place: its files must stay
 * (startup deletes them if the old manifest won). The DbError inside is what the caller sees.
 */
class PublishError extends DbError {
  constructor(error: unknown) {
    const inner = error instanceof DbError ? error : new DbError('58030', `could not publish a bulk load: ${String(error)}`);
    super(inner.code, inner.message, inner.fields);
  }
}

function publishUncertain(error: unknown): boolean {
  return error instanceof PublishError;
}

/** Rough JS memory of rows of `vectors`: fixed widths, and UTF-16 strings with their headers. */
function estimateBytes(vectors: readonly Vector[], rows: number): number {
  let bytes = 0;
  for (const v of vectors) {
    if (v.kind === 'string' && v.dictionary !== undefined) {
      // Rows share the entries' strings (COPY's dictionary columns): a code and a pointer each.
      let chars = 0;
      for (const entry of v.dictionary.entries) chars += entry.length;
      bytes += 2 * chars + stringOverheadBytes * v.dictionary.entries.length + 12 * rows;
    } else if (v.kind === 'string') {
      const values = v.values;
      let chars = 0;
      for (let i = 0; i < rows; i++) chars += (values[i] as string).length;
      bytes += 2 * chars + stringOverheadBytes * rows;
    } else {
      bytes += layoutWidth(v.type.layout) * rows;
    }
  }
  return bytes;
}
