/**
 * The stage of a bulk load: per partition, the appended rows as a list of column chunks, joined
 * into whole columns only when the partition is written out. Keeping chunks instead of appending
 * to tail columns saves a push per string value (the costliest part of staging events rows):
 * batches without a partition key are kept as they are, keyed ones are gathered per partition
 * into arrays of their final size when written out.
 */
import { groupByPartition, partitionsOf } from './partition-hash.js';
import type { TableDef } from './table-def.js';
import { type Batch, type Vector, allocateFixed } from './vector.js';

/** Rows of a batch staged for one partition: all of them (rows null) or those listed. */
interface StagedChunk {
  readonly columns: readonly Vector[];
  readonly rows: Int32Array | null;
  readonly length: number;
}

export class PartitionStage {
  private readonly chunks: StagedChunk[] = [];
  rows = 0;

  add(columns: readonly Vector[], rows: Int32Array | null, length: number): void {
    this.chunks.push({ columns, rows, length });
    this.rows += length;
  }

  /** The staged rows as one vector per column, gathered in one pass. */
  columns(def: TableDef): Vector[] {
    return def.columns.map((_, c) => gatherColumn(this.chunks, c, this.rows));
  }
}

/**
 * Splits a batch (no selection) into per-partition chunks as commit() would place it: by the
 * partition key's hash, or whole into `roundRobin`'s partition when there is no key. Only row
 * lists are made here; the rows are copied once, when the partition is written out.
 */
export function stageBatch(def: TableDef, batch: Batch, stage: readonly PartitionStage[], roundRobin: number): void {
  const count = def.partitionCount;
  if (count === 1 || def.partitionKey === null) {
    stage[roundRobin % count]!.add(batch.columns, null, batch.length);
    return;
  }
  const { rows, starts } = groupByPartition(partitionsOf(batch.columns[def.partitionKey]!, count), count);
  for (let p = 0; p < count; p++) {
    const start = starts[p] as number;
    const end = starts[p + 1] as number;
    if (end > start) stage[p]!.add(batch.columns, rows.subarray(start, end), end - start);
  }
}

/** Column `c` of every chunk, the listed rows only, as one vector of `total` rows. */
function gatherColumn(chunks: readonly StagedChunk[], c: number, total: number): Vector {
  const first = chunks[0]!.columns[c]!;
  let validity: Uint8Array | null = null;
  if (chunks.some((chunk) => chunk.columns[c]!.validity !== null)) {
    validity = new Uint8Array(total);
    let at = 0;
    for (const { columns, rows, length } of chunks) {
      const source = columns[c]!.validity;
      if (source === null) validity.fill(1, at, at + length);
      else if (rows === null) validity.set(source.subarray(0, length), at);
      else for (let i = 0; i < length; i++) validity[at + i] = source[rows[i] as number] as number;
      at += length;
    }
  }
  if (first.kind === 'string') {
    const values = new Array<string>(total);
    let at = 0;
    for (const { columns, rows, length } of chunks) {
      const source = columns[c]!.values as readonly string[];
      if (rows === null) for (let i = 0; i < length; i++) values[at + i] = source[i] as string;
      else for (let i = 0; i < length; i++) values[at + i] = source[rows[i] as number] as string;
      at += length;
    }
    return { kind: 'string', type: first.type, length: total, values, validity };
  }
  const values = allocateFixed(first.type.layout, total);
  // int8 is copied as pairs of 32-bit words: no BigInt per row.
  const wide = values instanceof BigInt64Array;
  const target = wide ? new Int32Array(values.buffer) : (values as Float64Array);
  let at = 0;
  for (const { columns, rows, length } of chunks) {
    const vector = columns[c]!.values as Float64Array | BigInt64Array;
    if (rows === null) {
      (values as Float64Array).set((vector as Float64Array).subarray(0, length), at);
    } else if (wide) {
      const source = new Int32Array(vector.buffer, vector.byteOffset, vector.length * 2);
      for (let i = 0; i < length; i++) {
        const r = rows[i] as number;
        target[2 * (at + i)] = source[2 * r] as number;
        target[2 * (at + i) + 1] = source[2 * r + 1] as number;
      }
    } else {
      const source = vector as Float64Array;
      for (let i = 0; i < length; i++) target[at + i] = source[rows[i] as number] as number;
    }
    at += length;
  }
  return { kind: 'fixed', type: first.type, length: total, values, validity };
}
