/**
 * Rows of one partition -> sorted segment files, split by time bucket (time-buckets.ts). Used by
 * the flush of a tail and by the spills of a bulk load; publishing the files in a manifest is the
 * caller's business, so until then they are unreferenced and a crash leaves only leftovers.
 */
import { segmentFileName, segmentPath } from './data-layout.js';
import type { FileSystem } from './file-system.js';
import { Segment } from './segment-reader.js';
import { writeSegment } from './segment-writer.js';
import { sortPermutation } from './sort-permutation.js';
import type { TableState } from './table-state.js';
import { timeBuckets } from './time-buckets.js';
import type { Vector } from './vector.js';

/**
 * Writes `rows` rows of `vectors` (table column order) as one or more segments of `partition`,
 * taking segment ids from the table. The partition directory must exist.
 */
export async function writePartitionSegments(
  fs: FileSystem,
  dataDir: string,
  table: TableState,
  partition: number,
  vectors: readonly Vector[],
  rows: number,
  blockRows: number,
): Promise<Segment[]> {
  const def = table.def;
  let permutation = await sortPermutation(vectors, def.sortKey, rows);
  const buckets = timeBuckets(def, vectors, permutation, rows);
  if (buckets.length > 1 && permutation === null) {
    permutation = new Int32Array(rows);
    for (let i = 0; i < rows; i++) permutation[i] = i;
  }
  const segments: Segment[] = [];
  for (const [start, end] of buckets) {
    if (end === start) continue;
    const path = segmentPath(dataDir, def.id, partition, segmentFileName(table.nextSegmentId++));
    const order = permutation === null ? null : permutation.subarray(start, end);
    const written = await writeSegment(fs, path, def.columns, vectors, order, end - start, blockRows);
    segments.push(Segment.fromFooter(path, written.footer, def.columns));
  }
  return segments;
}

/** The file name of a segment (what a manifest lists). */
export function segmentFile(segment: Segment): string {
  return segment.path.slice(segment.path.lastIndexOf('/') + 1);
}
