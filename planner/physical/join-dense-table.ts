/**
 * The hash join's table for one integer key whose build-side values lie in a narrow range (ids
 * 1..N of a dimension table, the common case): the key minus the smallest one indexes the chain
 * heads directly, so a probe is one array read instead of hashing and comparing words (DuckDB's
 * "perfect hash join"). int8 keys qualify when every build key is in [0, 2^31): their high word
 * is then 0, and a probe value with another high word cannot match.
 */
import type { Vector } from '../../storage/vector.js';
import { chainPairs, type Pairs } from './join-hash-table.js';

export interface DenseJoinTable {
  readonly kind: 'dense';
  readonly min: number;
  /** First build row per key - min, -1 for none. */
  readonly first: Int32Array;
  /** The next build row with the same key, -1 at the end of a chain. */
  readonly next: Int32Array;
}

/** Span of keys allowed per build row: the heads array stays within a few bytes per build row. */
const spanPerRow = 4;
const minSpan = 1 << 16;

/** Integer values as 32-bit words: [value] for int16/int32/date, [low, high] for int8. */
function integerWords(key: Vector, rows: number): { words: Int32Array | Int16Array; wide: boolean } | null {
  if (key.kind !== 'fixed') return null;
  const values = key.values;
  if (values instanceof BigInt64Array) return { words: new Int32Array(values.buffer, values.byteOffset, rows * 2), wide: true };
  if (values instanceof Int32Array || values instanceof Int16Array) return { words: values, wide: false };
  return null;
}

/** The dense table, or null when the key is not an integer in a narrow range. */
export function buildDenseTable(key: Vector, rows: number): DenseJoinTable | null {
  const integers = integerWords(key, rows);
  if (integers === null) return null;
  const { words, wide } = integers;
  const validity = key.validity;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < rows; i++) {
    if (validity !== null && validity[i] === 0) continue;
    const v = words[wide ? 2 * i : i] as number;
    if (wide && (words[2 * i + 1] !== 0 || v < 0)) return null;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min > max) return { kind: 'dense', min: 0, first: new Int32Array(0), next: new Int32Array(rows).fill(-1) };
  const span = max - min + 1;
  if (span > Math.max(minSpan, spanPerRow * rows)) return null;
  const first = new Int32Array(span).fill(-1);
  const next = new Int32Array(rows).fill(-1);
  // Backwards, so each chain lists build rows in their original order.
  for (let i = rows - 1; i >= 0; i--) {
    if (validity !== null && validity[i] === 0) continue;
    const slot = (words[wide ? 2 * i : i] as number) - min;
    next[i] = first[slot] as number;
    first[slot] = i;
  }
  return { kind: 'dense', min, first, next };
}

export function denseTableBytes(table: DenseJoinTable): number {
  return table.first.byteLength + table.next.byteLength;
}

/** Matching (probe, build) row pairs, at most `step` per chunk. */
export function probeDenseTable(table: DenseJoinTable, key: Vector, rows: number, step: number): Iterable<Pairs> {
  const heads = new Int32Array(rows).fill(-1);
  const integers = integerWords(key, rows);
  if (integers !== null) {
    const { words, wide } = integers;
    const { min, first } = table;
    const span = first.length;
    const validity = key.validity;
    for (let i = 0; i < rows; i++) {
      // A value outside [min, min + span) (a NULL's slot value included) finds no head.
      const slot = (words[wide ? 2 * i : i] as number) - min;
      if (slot >= 0 && slot < span && (!wide || words[2 * i + 1] === 0) && (validity === null || validity[i] === 1)) heads[i] = first[slot] as number;
    }
  }
  return chainPairs(heads, table.next, rows, step);
}
