/**
 * A consistent read view of one table: per partition, the segments published at the moment of
 * the snapshot plus the committed prefix of the tail. Both are immutable once captured (segments
 * are never modified, tails only grow past the captured count), so a scan needs no locks.
 */
import { DbError, assert, queryCanceled } from './errors.js';
import type { FileHandle, FileSystem } from './file-system.js';
import type { Segment } from './segment-reader.js';
import { compareByKind, orderKind } from './sort-order.js';
import type { TableDef } from './table-def.js';
import { PartitionTail } from './tail.js';
import type { Value } from './types.js';
import { type Batch, type Vector, sliceVector } from './vector.js';
import { type ZoneRange, boundValue, zoneMayMatch } from './zone-map.js';
import { ioFailure } from './durable-file.js';

/** A conjunctive constraint usable against zone maps. Values are in the column's Value form. */
export interface ColumnRange {
  column: number;
  lower?: { value: Value; inclusive: boolean };
  upper?: { value: Value; inclusive: boolean };
  /** Only rows where the column IS NULL (true) / IS NOT NULL (false). */
  isNull?: boolean;
  /** Only rows whose value is one of these (an IN list of constants). */
  anyOf?: readonly Value[];
}

export interface ScanStats {
  segments: number;
  segmentsSkipped: number;
  blocks: number;
  blocksSkipped: number;
  tailRows: number;
  rowsRead: number;
  /** Column blocks served by the block cache, and those read and decoded. */
  cacheHits: number;
  cacheMisses: number;
  cacheAdmittedBytes: number;
}

export interface ScanOptions {
  columns: readonly number[];
  ranges?: readonly ColumnRange[];
  partitions?: readonly number[];
  batchRows?: number;
  signal?: AbortSignal;
  /** Filled in during the scan, for EXPLAIN ANALYZE. */
  stats?: ScanStats;
}

export interface TableSnapshot {
  readonly table: TableDef;
  /** Exact live row count (segments + tail prefix). */
  readonly rowCount: number;
  readonly partitionCount: number;
  /**
   * Streams batches (<= batchRows rows each, default 65_536) of the requested columns in that
   * order. Blocks whose zone maps exclude `ranges` are skipped (ranges may over-approximate; the
   * caller still filters). `partitions` restricts to some partitions. Checks `signal` between
   * batches and throws DbError 57014 when aborted.
   */
  scan(options: ScanOptions): AsyncIterable<Batch>;
  /**
   * For scans fanned out to worker threads: per partition, the pinned segments (which a worker
   * reads from their files) and the tail rows; `rest` is this snapshot without its segments.
   * Absent where rows live only in this process's memory (rows pending in a transaction block).
   */
  split?(): SnapshotSplit;
}

export interface SnapshotSplit {
  readonly partitions: readonly { readonly segments: readonly Segment[]; readonly tailRows: number }[];
  readonly rest: TableSnapshot;
  /** A snapshot of just these segments (as partition 0), for a piece the coordinator runs itself. */
  view(segments: readonly Segment[]): TableSnapshot;
}

export function emptyScanStats(): ScanStats {
  return { segments: 0, segmentsSkipped: 0, blocks: 0, blocksSkipped: 0, tailRows: 0, rowsRead: 0, cacheHits: 0, cacheMisses: 0, cacheAdmittedBytes: 0 };
}

export interface PartitionView {
  readonly segments: readonly Segment[];
  readonly tail: PartitionTail;
  readonly tailRows: number;
}

export const defaultBatchRows = 65_536;

function zoneRanges(table: TableDef, ranges: readonly ColumnRange[]): ZoneRange[] {
  const out: ZoneRange[] = [];
  for (const r of ranges) {
    const column = table.columns[r.column];
    assert(column !== undefined, `range on column ${r.column} of table "${table.name}" with ${table.columns.length} columns`);
    const kind = orderKind(column.type);
    let lower = r.lower === undefined ? undefined : boundValue(kind, r.lower.value, 'lower');
    let upper = r.upper === undefined ? undefined : boundValue(kind, r.upper.value, 'upper');
    // Equality and IN lists on text compare exactly, so a block's value list can rule them out.
    const exactText = column.type.id === 'text' || column.type.id === 'varchar';
    let anyOf: string[] | null = null;
    if (r.anyOf !== undefined) {
      const bounds = r.anyOf.map((v) => boundValue(kind, v, 'lower'));
      if (exactText && r.anyOf.every((v) => typeof v === 'string')) anyOf = r.anyOf as string[];
      // The list's smallest and largest values bound it for min/max pruning too.
      if (bounds.length > 0 && bounds.every((b) => b !== undefined && b.inclusive === undefined)) {
        const values = bounds.map((b) => b!.value).sort((a, b) => compareByKind(kind, a, b));
        lower ??= { value: values[0]! };
        upper ??= { value: values[values.length - 1]! };
      }
    } else if (exactText && r.lower?.inclusive === true && r.upper?.inclusive === true && r.lower.value === r.upper.value && typeof r.lower.value === 'string') {
      anyOf = [r.lower.value];
    }
    // A bound that cannot be compared safely (NULL, a value of another type) is dropped: ranges
    // may over-approximate, never under-approximate.
    out.push({
      column: r.column,
      kind,
      lower: lower === undefined ? null : { value: lower.value, inclusive: lower.inclusive ?? r.lower?.inclusive ?? true },
      upper: upper === undefined ? null : { value: upper.value, inclusive: upper.inclusive ?? r.upper?.inclusive ?? true },
      isNull: r.isNull ?? null,
      anyOf,
    });
  }
  return out;
}

/**
 * The segments whose segment-wide zone maps do not rule `ranges` out: what a scan would open. A
 * parallel scan sends only these to workers.
 */
export function segmentsMatching(table: TableDef, segments: readonly Segment[], ranges: readonly ColumnRange[]): Segment[] {
  if (ranges.length === 0) return [...segments];
  const zones = zoneRanges(table, ranges);
  return segments.filter((segment) => zones.every((r) => zoneMayMatch(segment.segmentZones[r.column]!, r)));
}

export class SnapshotView implements TableSnapshot {
  readonly rowCount: number;

  constructor(
    readonly table: TableDef,
    private readonly fs: FileSystem,
    private readonly views: readonly PartitionView[],
  ) {
    let rows = 0;
    for (const v of views) {
      rows += v.tailRows;
      for (const s of v.segments) rows += s.rows;
    }
    this.rowCount = rows;
  }

  get partitionCount(): number {
    return this.views.length;
  }

  split(): SnapshotSplit {
    return {
      partitions: this.views.map((v) => ({ segments: v.segments, tailRows: v.tailRows })),
      rest: new SnapshotView(this.table, this.fs, this.views.map((v) => ({ segments: [], tail: v.tail, tailRows: v.tailRows }))),
      view: (segments) => new SnapshotView(this.table, this.fs, [{ segments, tail: new PartitionTail(this.table.columns.map((c) => c.type)), tailRows: 0 }]),
    };
  }

  scan(options: ScanOptions): AsyncIterable<Batch> {
    const table = this.table;
    for (const c of options.columns) {
      assert(Number.isInteger(c) && c >= 0 && c < table.columns.length, `scan of column ${c} of table "${table.name}"`);
    }
    for (const p of options.partitions ?? []) {
      assert(Number.isInteger(p) && p >= 0 && p < this.views.length, `scan of partition ${p} of table "${table.name}"`);
    }
    const batchRows = options.batchRows ?? defaultBatchRows;
    assert(Number.isInteger(batchRows) && batchRows > 0, `batchRows ${batchRows}`);
    const ranges = zoneRanges(table, options.ranges ?? []);
    const partitions = options.partitions ?? this.views.map((_, i) => i);
    return this.run(options, ranges, partitions, batchRows);
  }

  private async *run(
    options: ScanOptions,
    ranges: readonly ZoneRange[],
    partitions: readonly number[],
    batchRows: number,
  ): AsyncGenerator<Batch> {
    const stats = options.stats ?? emptyScanStats();
    const signal = options.signal;
    const columns = options.columns;
    const check = () => {
      if (signal?.aborted) throw queryCanceled();
    };
    check();
    for (const p of partitions) {
      const view = this.views[p]!;
      for (const segment of view.segments) {
        stats.segments++;
        if (!ranges.every((r) => zoneMayMatch(segment.segmentZones[r.column]!, r))) {
          stats.segmentsSkipped++;
          stats.blocks += segment.blockCount;
          stats.blocksSkipped += segment.blockCount;
          continue;
        }
        yield* this.scanSegment(segment, columns, ranges, batchRows, stats, check);
      }
      const tail = view.tail;
      for (let start = 0; start < view.tailRows; start += batchRows) {
        check();
        const end = Math.min(view.tailRows, start + batchRows);
        const vectors = columns.map((c) => tail.columns[c]!.view(start, end));
        stats.tailRows += end - start;
        stats.rowsRead += end - start;
        yield { length: end - start, columns: vectors, selection: null };
      }
    }
  }

  private async *scanSegment(
    segment: Segment,
    columns: readonly number[],
    ranges: readonly ZoneRange[],
    batchRows: number,
    stats: ScanStats,
    check: () => void,
  ): AsyncGenerator<Batch> {
    // Held in an object: it is set inside the open callback, which control flow analysis cannot see.
    const file: { handle: FileHandle | null } = { handle: null };
    try {
      for (let b = 0; b < segment.blockCount; b++) {
        stats.blocks++;
        const zones = segment.zones[b]!;
        if (!ranges.every((r) => zoneMayMatch(zones[r.column]!, r))) {
          stats.blocksSkipped++;
          continue;
        }
        check();
        const rows = segment.footer.blocks[b]!.rows;
        let vectors: Vector[] = [];
        if (columns.length > 0) {
          // Opened only when a column is not in the block cache.
          vectors = await segment.readBlock(async () => (file.handle ??= await this.openSegment(segment)), b, columns, stats);
        }
        stats.rowsRead += rows;
        for (let start = 0; start < rows; start += batchRows) {
          if (start > 0) check();
          const end = Math.min(rows, start + batchRows);
          const sliced = start === 0 && end === rows ? vectors : vectors.map((v) => sliceVector(v, start, end));
          yield { length: end - start, columns: sliced, selection: null };
        }
      }
    } finally {
      await file.handle?.close().catch(() => undefined);
    }
  }

  private async openSegment(segment: Segment): Promise<FileHandle> {
    try {
      return await this.fs.open(segment.path, 'read');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new DbError('42P01', `relation "${this.table.name}" was dropped while it was being read`);
      }
      throw ioFailure('open segment', segment.path, error);
    }
  }
}
