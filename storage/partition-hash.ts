/**
 * Stable hash partitioning. The hash is part of the on-disk format (rows are replayed into the
 * partition they were first placed in, and segment files live under their partition), so it must
 * never change:
 *   - 16/32-bit integers, dates, booleans: mix32 of the value;
 *   - int8: mix32(low word ^ mix32(high word)), computed on the words, never through BigInt;
 *   - floats: mix32 over the two words of the float64 value (-0 taken as 0, one NaN);
 *   - strings: FNV-1a over UTF-16 code units, then mix32;
 *   - NULL: partition 0.
 * Partition = hash mod partitionCount (hash as unsigned 32-bit).
 */
import type { Layout, Value } from './types.js';
import type { Vector } from './vector.js';

/** murmur3's 32-bit finalizer: every input bit affects every output bit. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

const floatScratch = new Float64Array(1);
const floatWords = new Int32Array(floatScratch.buffer);

function hashFloat(v: number): number {
  floatScratch[0] = v === 0 ? 0 : Number.isNaN(v) ? Number.NaN : v;
  return mix32((floatWords[0] as number) ^ mix32(floatWords[1] as number));
}

function hashInt64Words(low: number, high: number): number {
  return mix32(low ^ mix32(high));
}

/** The partition of every row of a key vector, for a table with `count` partitions. */
export function partitionsOf(vector: Vector, count: number): Int32Array {
  const n = vector.length;
  const out = new Int32Array(n);
  if (count <= 1) return out;
  const validity = vector.validity;
  if (vector.kind === 'string') {
    const values = vector.values;
    for (let i = 0; i < n; i++) out[i] = hashString(values[i] as string) % count;
  } else if (vector.type.layout === 'int64') {
    const values = vector.values as BigInt64Array;
    const words = new Int32Array(values.buffer, values.byteOffset, n * 2);
    for (let i = 0; i < n; i++) out[i] = hashInt64Words(words[2 * i] as number, words[2 * i + 1] as number) % count;
  } else if (vector.type.layout === 'float32' || vector.type.layout === 'float64') {
    const values = vector.values as Float32Array | Float64Array;
    for (let i = 0; i < n; i++) out[i] = hashFloat(values[i] as number) % count;
  } else {
    const values = vector.values as Uint8Array | Int16Array | Int32Array;
    for (let i = 0; i < n; i++) out[i] = mix32(values[i] as number) % count;
  }
  if (validity !== null) {
    for (let i = 0; i < n; i++) if (validity[i] === 0) out[i] = 0;
  }
  return out;
}

/** The partition holding rows whose key equals `value` (for pruning an equality predicate). */
export function partitionOfValue(layout: Layout, value: Value, count: number): number {
  if (value === null || count <= 1) return 0;
  switch (layout) {
    case 'string':
      return hashString(String(value)) % count;
    case 'int64': {
      const big = BigInt.asIntN(64, typeof value === 'bigint' ? value : BigInt(value as number));
      const low = Number(BigInt.asIntN(32, big));
      const high = Number(big >> 32n);
      return hashInt64Words(low, high) % count;
    }
    case 'float32':
    case 'float64':
      return hashFloat(layout === 'float32' ? Math.fround(Number(value)) : Number(value)) % count;
    case 'bool':
      return mix32(value === true || value === 1 ? 1 : 0) % count;
    case 'int16':
    case 'int32':
      return mix32(Number(value)) % count;
  }
}

/**
 * Groups row indexes by partition (a counting sort, stable): rows of partition p are
 * `rows.subarray(starts[p], starts[p + 1])`.
 */
export function groupByPartition(partitions: Int32Array, count: number): { rows: Int32Array; starts: Int32Array } {
  const starts = new Int32Array(count + 1);
  for (let i = 0; i < partitions.length; i++) starts[(partitions[i] as number) + 1]!++;
  for (let p = 0; p < count; p++) starts[p + 1]! += starts[p] as number;
  const cursor = starts.slice(0, count);
  const rows = new Int32Array(partitions.length);
  for (let i = 0; i < partitions.length; i++) rows[cursor[partitions[i] as number]!++] = i;
  return { rows, starts };
}
