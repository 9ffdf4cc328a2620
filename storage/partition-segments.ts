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
import { type Vector, takeRows } from './vector.js';

/**
 * Writes `rows` rows of `vectors` (table column order) as one or more segments of `partition`,
 * taking segment ids from the table. With `rowList`, the partition's rows are those rows of the
 * vectors (`rows` of them), else the vectors' first `rows` rows. The partition directory must exist.
 */
export async function writePartitionSegments(
  fs: FileSystem,
  dataDir: string,
  table: TableState,
  partition: number,
  vectors: readonly Vector[],
  rows: number,
  blockRows: number,
  rowList: Int32Array | null = null,
): Promise<Segment[]> {
  const def = table.def;
  let permutation = rowList === null ? await sortPermutation(vectors, def.sortKey, rows) : await sortRowList(vectors, def.sortKey, rowList);
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

/** `rowList` ordered by the sort key (stable), as row numbers of `vectors`. */
async function sortRowList(vectors: readonly Vector[], keys: readonly number[], rowList: Int32Array): Promise<Int32Array> {
  // Only the key columns are gathered to sort; the comparator reads no other column.
  const keyed = vectors.map((v, c) => (keys.includes(c) ? takeRows(v, rowList) : v));
  const local = await sortPermutation(keyed, keys, rowList.length);
  if (local === null) return rowList;
  const out = new Int32Array(local.length);
  for (let i = 0; i < local.length; i++) out[i] = rowList[local[i] as number] as number;
  return out;
}

/** The file name of a segment (what a manifest lists). */
export function segmentFile(segment: Segment): string {
  return segment.path.slice(segment.path.lastIndexOf('/') + 1);
}
