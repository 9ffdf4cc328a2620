/**
 * Late events: rows whose leading sort key is a time column and lies more than a day before the
 * bulk of a flush are cut off into their own segments, by UTC day, so the
 * segment holding the bulk keeps a narrow time range and `WHERE event_time >= X` still skips old
 * segments, while a query for an old day finds the late rows in a small segment of that day.
 *
 * The bulk starts at the 10th percentile of the times: late events are a small minority of a
 * flush, while a flush of a steady stream that spans a few days is not cut at all.
 *
 * Works on rows already in sort order (NULLs last), so every bucket is a contiguous range of the
 * sorted rows and splitting costs one pass over the key.
 */
import { isTimeType } from './types.js';
import type { TableDef } from './table-def.js';
import type { Vector } from './vector.js';

/** A row this much older than the bulk of its flush is late (µs; dates count in days). */
export const lateAfterUs = 86_400e6;
/** Where the bulk of a flush starts, as a fraction of its non-NULL rows in time order. */
const bulkQuantile = 0.1;
const dayUs = 86_400e6;
/** At most this many late segments per partition and flush: older days are grouped beyond it. */
export const maxLateBuckets = 8;
/**
 * Adjacent late days are joined until a bucket holds this many rows, so a trickle of late events
 * does not make a segment per day; what matters most is that they leave the bulk's segment.
 */
export const minLateBucketRows = 4096;

/** [start, end) ranges of sorted row positions, oldest first; one range when nothing is late. */
export type RowRange = readonly [number, number];

/**
 * The buckets of `rows` rows of `vectors`, read in `permutation` order (null: already sorted). The
 * last range holds the bulk of the rows (and the NULLs); earlier ranges hold late days.
 */
export function timeBuckets(def: TableDef, vectors: readonly Vector[], permutation: Int32Array | null, rows: number): RowRange[] {
  const whole: RowRange[] = [[0, rows]];
  const key = def.sortKey[0];
  if (key === undefined || rows < 2) return whole;
  const type = def.columns[key]!.type;
  const vector = vectors[key]!;
  if (!isTimeType(type) || vector.kind !== 'fixed') return whole;
  const values = vector.values as Float64Array | Int32Array;
  const validity = vector.validity;
  // Day number of sorted position i; non-NULL rows come first in sort order.
  const perDay = type.id === 'date' ? 1 : dayUs;
  let valued = rows;
  if (validity !== null) {
    valued = 0;
    for (let i = 0; i < rows; i++) valued += validity[i] as number;
  }
  if (valued < 2) return whole;
  const at = (i: number) => values[permutation === null ? i : (permutation[i] as number)] as number;
  const bulkStart = at(Math.floor(valued * bulkQuantile));
  if (!Number.isFinite(bulkStart)) return whole;
  const limit = bulkStart - (type.id === 'date' ? 1 : lateAfterUs);
  if (!(at(0) < limit)) return whole;
  // First sorted position that is not late (binary search: positions [0, valued) are ascending).
  let lo = 0;
  let hi = valued;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (at(mid) < limit) lo = mid + 1;
    else hi = mid;
  }
  const lateEnd = lo;
  const out: [number, number][] = [];
  // '-infinity' timestamps get a bucket of their own: they have no day.
  let start = 0;
  while (start < lateEnd && at(start) === -Infinity) start++;
  if (start > 0) out.push([0, start]);
  if (start === lateEnd) {
    out.push([lateEnd, rows]);
    return out;
  }
  const firstDay = Math.floor(at(start) / perDay);
  const lastDay = Math.floor(at(lateEnd - 1) / perDay);
  // Days per bucket, so that no more than maxLateBuckets late buckets are made.
  const span = Math.max(1, Math.ceil((lastDay - firstDay + 1) / maxLateBuckets));
  let bucket = 0;
  for (let i = start + 1; i < lateEnd; i++) {
    const b = Math.floor((Math.floor(at(i) / perDay) - firstDay) / span);
    if (b !== bucket) {
      if (i - start >= minLateBucketRows) {
        out.push([start, i]);
        start = i;
      }
      bucket = b;
    }
  }
  out.push([start, lateEnd]);
  out.push([lateEnd, rows]);
  return out;
}
