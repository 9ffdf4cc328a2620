/**
 * Flushing one table: the frozen prefix of each partition's tail is sorted by the sort key,
 * written as segment files (one, or one per late time bucket: time-buckets.ts), and published in
 * a new manifest. The caller then swaps the new
 * segments in and drops the flushed prefix from the tails in one synchronous step.
 */
import { partitionDirectory } from './data-layout.js';
import type { FileSystem } from './file-system.js';
import { type Manifest, writeManifest } from './manifest.js';
import { segmentFile, writePartitionSegments } from './partition-segments.js';
import type { Segment } from './segment-reader.js';
import type { TableState } from './table-state.js';
import type { PartitionTail } from './tail.js';
import type { Vector } from './vector.js';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

/** What a flush froze for one partition: this tail object and its first `rows` rows. */
export interface FrozenPartition {
  readonly tail: PartitionTail;
  readonly rows: number;
}

export interface FlushedTable {
  readonly table: TableState;
  readonly frozen: readonly FrozenPartition[];
  /** Per partition, the segments written (none where nothing was frozen). */
  readonly newSegments: readonly (readonly Segment[])[];
  readonly manifest: Manifest;
}

export function freezeTable(table: TableState): FrozenPartition[] {
  return table.partitions.map((p) => ({ tail: p.tail, rows: p.tail.committedRows }));
}

export async function flushTable(
  fs: FileSystem,
  dataDir: string,
  table: TableState,
  frozen: readonly FrozenPartition[],
  flushedLsn: number,
  blockRows: number,
): Promise<FlushedTable> {
  const def = table.def;
  const newSegments: Segment[][] = [];
  for (let p = 0; p < frozen.length; p++) {
    const { tail, rows } = frozen[p]!;
    if (rows === 0) {
      newSegments.push([]);
      continue;
    }
    const vectors: Vector[] = [];
    for (const c of tail.columns) {
      vectors.push(c.view(0, rows)); // copies string columns: yield between them
      await yieldToEventLoop();
    }
    await fs.mkdir(partitionDirectory(dataDir, def.id, p));
    newSegments.push(await writePartitionSegments(fs, dataDir, table, p, vectors, rows, blockRows));
  }
  const manifest: Manifest = {
    format: 1,
    tableId: def.id,
    flushedLsn,
    nextSegmentId: table.nextSegmentId,
    partitions: table.manifest.partitions.map((part, p) => {
      const added = newSegments[p]!;
      if (added.length === 0) return part;
      return { segments: [...part.segments, ...added.map((s) => ({ file: segmentFile(s), rows: s.rows }))] };
    }),
  };
  await writeManifest(fs, dataDir, manifest);
  return { table, frozen, newSegments, manifest };
}

/**
 * Publishes a flushed table in memory: segments in, flushed prefix out, in one synchronous step,
 * so a snapshot sees each row exactly once. Returns the number of rows moved.
 */
export function swapInFlushed(flushed: FlushedTable): number {
  const { table, frozen, newSegments } = flushed;
  let moved = 0;
  table.manifest = flushed.manifest;
  for (let p = 0; p < frozen.length; p++) {
    const added = newSegments[p]!;
    const part = table.partitions[p]!;
    if (added.length === 0) continue;
    part.segments = [...part.segments, ...added];
    part.tail = frozen[p]!.tail.remainderAfter(frozen[p]!.rows);
    moved += frozen[p]!.rows;
  }
  return moved;
}
