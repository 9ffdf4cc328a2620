/**
 * The stage of a bulk load: the appended batches as they are, with the partition of each row
 * (placed as commit() would place it). At write-out the batches' columns are joined end to end
 * (a copy of pointers and bytes, no per-row work) and each partition becomes a list of row
 * numbers into them, which the sort orders and the segment writer gathers block by block. So a
 * row is gathered once, into its final block, instead of once per partition and again per block.
 */
import { groupByPartition, partitionsOf } from './partition-hash.js';
import type { TableDef } from './table-def.js';
import { type Batch, type StringVector, type Vector, allocateFixed } from './vector.js';

/** What a write-out works on: whole columns, and per partition its rows in them. */
export interface StagedRows {
  readonly vectors: readonly Vector[];
  /** rows.subarray(starts[p], starts[p + 1]) are partition p's rows, in arrival order. */
  readonly rows: Int32Array;
  readonly starts: Int32Array;
}

export class BulkStage {
  private batches: Batch[] = [];
  private partitions: Int32Array[] = [];
  rows = 0;

  constructor(private readonly def: TableDef) {}

  /** Stages a batch (no selection); `roundRobin` picks the partition when there is no key. */
  add(batch: Batch, roundRobin: number): void {
    const def = this.def;
    const count = def.partitionCount;
    const keyed = count > 1 && def.partitionKey !== null;
    this.batches.push(batch);
    this.partitions.push(keyed ? partitionsOf(batch.columns[def.partitionKey!]!, count) : new Int32Array(batch.length).fill(roundRobin % count));
    this.rows += batch.length;
  }

  /** Forgets the staged rows. */
  clear(): void {
    this.batches = [];
    this.partitions = [];
    this.rows = 0;
  }

  /** Joins the staged batches (at least one row) and empties the stage. */
  take(): StagedRows {
    const batches = this.batches;
    const partitionOf = joinInt32(this.partitions, this.rows);
    this.batches = [];
    this.partitions = [];
    const total = this.rows;
    this.rows = 0;
    const vectors = this.def.columns.map((_, c) =>
      concatVectors(
        batches.map((b) => b.columns[c]!),
        total,
      ),
    );
    const { rows, starts } = groupByPartition(partitionOf, this.def.partitionCount);
    return { vectors, rows, starts };
  }
}

function joinInt32(parts: readonly Int32Array[], total: number): Int32Array {
  const out = new Int32Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** One vector of `total` rows from consecutive vectors of one column. */
export function concatVectors(chunks: readonly Vector[], total: number): Vector {
  const first = chunks[0]!;
  if (chunks.length === 1) return first;
  let validity: Uint8Array | null = null;
  if (chunks.some((v) => v.validity !== null)) {
    validity = new Uint8Array(total);
    let at = 0;
    for (const v of chunks) {
      if (v.validity === null) validity.fill(1, at, at + v.length);
      else validity.set(v.validity.subarray(0, v.length), at);
      at += v.length;
    }
  }
  if (first.kind === 'string') {
    const values = concatStrings((chunks as readonly StringVector[]).map((v) => (v.values.length === v.length ? (v.values as string[]) : v.values.slice(0, v.length))));
    return { kind: 'string', type: first.type, length: total, values, validity };
  }
  const values = allocateFixed(first.type.layout, total);
  let at = 0;
  for (const v of chunks) {
    (values as Float64Array).set((v.values as Float64Array).subarray(0, v.length), at);
    at += v.length;
  }
  return { kind: 'fixed', type: first.type, length: total, values, validity };
}

/** Array.prototype.concat copies element pointers natively; arguments go in groups (engine limits). */
function concatStrings(arrays: readonly string[][]): string[] {
  const group = 1024;
  if (arrays.length <= group) return ([] as string[]).concat(...arrays);
  const groups: string[][] = [];
  for (let i = 0; i < arrays.length; i += group) groups.push(([] as string[]).concat(...arrays.slice(i, i + group)));
  return concatStrings(groups);
}
