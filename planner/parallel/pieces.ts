/**
 * How a parallel aggregate divides a snapshot: runs of one partition's segments go to workers, each
 * big enough to outweigh a thread hop; the tail of each partition is aggregated on the coordinator
 * meanwhile. Pieces are listed in the single-threaded scan order (per partition: segments, then
 * tail), which is the order their partials are merged in.
 */
import type { Segment } from '../../storage/segment-reader.js';
import type { SnapshotSplit } from '../../storage/snapshot.js';

export type Piece =
  | { readonly where: 'worker'; readonly partition: number; readonly segments: readonly Segment[] }
  /** On the coordinator: the partition's tail only, or (`whole`) its segments and tail together. */
  | { readonly where: 'local'; readonly partition: number; readonly whole: boolean };

/** A task below this many rows costs more in hops than it saves. */
const minTaskRows = 65_536;
/** Tasks per worker: enough to even out segments of different sizes, few enough to stay cheap. */
const tasksPerWorker = 4;

export function planPieces(split: SnapshotSplit, wholePartitions: boolean, workers: number): Piece[] {
  let segmentRows = 0;
  for (const p of split.partitions) for (const s of p.segments) segmentRows += s.rows;
  const targetRows = Math.max(minTaskRows, Math.ceil(segmentRows / (workers * tasksPerWorker)));
  const pieces: Piece[] = [];
  split.partitions.forEach(({ segments, tailRows }, partition) => {
    if (wholePartitions) {
      // A DISTINCT aggregate needs each partition in one task; its tail is only here.
      if (tailRows > 0) pieces.push({ where: 'local', partition, whole: true });
      else if (segments.length > 0) pieces.push({ where: 'worker', partition, segments });
      return;
    }
    let run: Segment[] = [];
    let rows = 0;
    for (const segment of segments) {
      run.push(segment);
      rows += segment.rows;
      if (rows >= targetRows) {
        pieces.push({ where: 'worker', partition, segments: run });
        run = [];
        rows = 0;
      }
    }
    if (run.length > 0) pieces.push({ where: 'worker', partition, segments: run });
    if (tailRows > 0) pieces.push({ where: 'local', partition, whole: false });
  });
  return pieces;
}

/** Rows the workers would read. */
export function workerRows(pieces: readonly Piece[]): number {
  let rows = 0;
  for (const piece of pieces) if (piece.where === 'worker') for (const s of piece.segments) rows += s.rows;
  return rows;
}
