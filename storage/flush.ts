/**
 * Flushing one table: the frozen prefix of each partition's tail is sorted by the sort key,
 * written as a segment file, and published in a new manifest. The caller then swaps the new
 * segments in and drops the flushed prefix from the tails in one synchronous step.
 */
import { partitionDirectory, segmentFileName, segmentPath } from './data-layout.js';
import type { FileSystem } from './file-system.js';
import { type Manifest, writeManifest } from './manifest.js';
import { Segment } from './segment-reader.js';
import { writeSegment } from './segment-writer.js';
import { sortPermutation } from './sort-permutation.js';
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
  readonly newSegments: readonly (Segment | null)[];
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
  const newSegments: (Segment | null)[] = [];
  for (let p = 0; p < frozen.length; p++) {
    const { tail, rows } = frozen[p]!;
    if (rows === 0) {
      newSegments.push(null);
      continue;
    }
    const vectors: Vector[] = [];
    for (const c of tail.columns) {
      vectors.push(c.view(0, rows)); // copies string columns: yield between them
      await yieldToEventLoop();
    }
    const permutation = await sortPermutation(vectors, def.sortKey, rows);
    const file = segmentFileName(table.nextSegmentId++);
    const path = segmentPath(dataDir, def.id, p, file);
    await fs.mkdir(partitionDirectory(dataDir, def.id, p));
    const written = await writeSegment(fs, path, def.columns, vectors, permutation, rows, blockRows);
    newSegments.push(Segment.fromFooter(path, written.footer, def.columns));
  }
  const manifest: Manifest = {
    format: 1,
    tableId: def.id,
    flushedLsn,
    nextSegmentId: table.nextSegmentId,
    partitions: table.manifest.partitions.map((part, p) => {
      const segment = newSegments[p];
      if (!segment) return part;
      const file = segment.path.slice(segment.path.lastIndexOf('/') + 1);
      return { segments: [...part.segments, { file, rows: segment.rows }] };
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
    const segment = newSegments[p];
    const part = table.partitions[p]!;
    if (!segment) continue;
    part.segments = [...part.segments, segment];
    part.tail = frozen[p]!.tail.remainderAfter(frozen[p]!.rows);
    moved += frozen[p]!.rows;
  }
  return moved;
}
