/**
 * The live state of one table: its definition, manifest, and per partition the published
 * segments plus the tail. Mutated only synchronously (apply of a WAL record, the swap at the end
 * of a flush), so a snapshot taken between two mutations is always consistent.
 */
import type { Manifest } from './manifest.js';
import { groupByPartition, partitionsOf } from './partition-hash.js';
import type { Segment } from './segment-reader.js';
import type { TableDef } from './table-def.js';
import { PartitionTail } from './tail.js';
import type { Vector } from './vector.js';

export interface PartitionState {
  /** Replaced, never mutated, so snapshots can hold the array. */
  segments: readonly Segment[];
  tail: PartitionTail;
}

export class TableState {
  readonly partitions: PartitionState[];
  manifest: Manifest;
  /** Segment ids are taken from here; a failed flush's ids are not reused in this process. */
  nextSegmentId: number;

  constructor(
    readonly def: TableDef,
    manifest: Manifest,
    segments: readonly (readonly Segment[])[],
  ) {
    this.manifest = manifest;
    this.nextSegmentId = manifest.nextSegmentId;
    const types = def.columns.map((c) => c.type);
    this.partitions = segments.map((s) => ({ segments: s, tail: new PartitionTail(types) }));
  }

  /**
   * Places the rows of one write into partition tails. Rows go to the partition of their key's
   * hash; without a partition key the whole write goes to partition (lsn mod count), which
   * replay reproduces exactly.
   */
  applyWrite(vectors: readonly Vector[], rowCount: number, lsn: number): void {
    const count = this.def.partitionCount;
    const key = this.def.partitionKey;
    if (count === 1 || key === null) {
      this.partitions[lsn % count]!.tail.append(vectors, null, 0, rowCount);
      return;
    }
    const { rows, starts } = groupByPartition(partitionsOf(vectors[key]!, count), count);
    for (let p = 0; p < count; p++) {
      const start = starts[p] as number;
      const end = starts[p + 1] as number;
      if (end > start) this.partitions[p]!.tail.append(vectors, rows, start, end);
    }
  }

  tailRows(): number {
    let rows = 0;
    for (const p of this.partitions) rows += p.tail.committedRows;
    return rows;
  }
}
