/**
 * The hash join's table: build-side keys become int32 words (key-words.ts; strings interned by
 * their equality key), an open-addressing table (word-table.ts) gives each distinct key a dense
 * id, and the build rows of an id form a chain through two Int32Arrays (`first` per id, `next`
 * per row), in their original order. Probing encodes the probe keys with the same encoder (so
 * equal strings meet under one interned id), finds their ids and walks the chains. A key with a
 * NULL in any column never matches: its null word is not zero, and such rows are skipped.
 */
import type { DataType } from '../../storage/types.js';
import type { Vector } from '../../storage/vector.js';
import { KeyEncoder } from './key-words.js';
import { WordTable } from './word-table.js';

export interface JoinHashTable {
  readonly kind: 'words';
  readonly encoder: KeyEncoder;
  readonly table: WordTable;
  /** First build row of each key id, -1 for none. */
  readonly first: Int32Array;
  /** The next build row with the same key, -1 at the end of a chain. */
  readonly next: Int32Array;
}

export interface Pairs {
  readonly left: Int32Array;
  readonly right: Int32Array;
}

export function buildWordTable(types: readonly DataType[], keys: readonly Vector[], rows: number): JoinHashTable {
  const encoder = new KeyEncoder(types);
  const width = encoder.width;
  const words = encoder.encode(keys, rows);
  const table = new WordTable(width, Math.max(16, rows));
  const ids = new Int32Array(rows);
  table.insert(words, rows, ids);
  const first = new Int32Array(table.count).fill(-1);
  const next = new Int32Array(rows).fill(-1);
  // Backwards, so each chain lists build rows in their original order.
  for (let i = rows - 1, at = (rows - 1) * width; i >= 0; i--, at -= width) {
    if (words[at] !== 0) continue;
    const id = ids[i] as number;
    next[i] = first[id] as number;
    first[id] = i;
  }
  return { kind: 'words', encoder, table, first, next };
}

/** Bytes the table holds beyond the build rows themselves, for the memory limit. */
export function wordTableBytes(hash: JoinHashTable): number {
  return hash.table.bytes + hash.first.byteLength + hash.next.byteLength;
}

/** Matching (probe, build) row pairs, at most `step` per chunk, so a many-to-many key cannot blow up memory. */
export function* probeWordTable(hash: JoinHashTable, keys: readonly Vector[], rows: number, step: number): Iterable<Pairs> {
  const width = hash.encoder.width;
  const words = hash.encoder.encode(keys, rows);
  const ids = new Int32Array(rows);
  hash.table.find(words, rows, ids);
  const { first, next } = hash;
  // Rows that cannot match (no such key, a NULL in the key) get -1: no chain to walk.
  for (let i = 0, at = 0; i < rows; i++, at += width) ids[i] = ids[i]! < 0 || words[at] !== 0 ? -1 : first[ids[i]!]!;
  yield* chainPairs(ids, next, rows, step);
}

/**
 * Walks, for each probe row, the chain starting at `heads[row]` (-1: none) through `next`, giving
 * (probe row, build row) pairs at most `step` at a time.
 */
export function* chainPairs(heads: Int32Array, next: Int32Array, rows: number, step: number): Iterable<Pairs> {
  let left: Int32Array = new Int32Array(Math.min(step, Math.max(rows, 16)));
  let right: Int32Array = new Int32Array(left.length);
  let k = 0;
  for (let i = 0; i < rows; i++) {
    for (let r = heads[i] as number; r >= 0; r = next[r] as number) {
      if (k === left.length) {
        if (k === step) {
          yield { left, right };
          left = new Int32Array(step);
          right = new Int32Array(step);
          k = 0;
        } else {
          left = grow(left, Math.min(step, k * 2));
          right = grow(right, left.length);
        }
      }
      left[k] = i;
      right[k++] = r;
    }
  }
  if (k > 0) yield { left: left.subarray(0, k), right: right.subarray(0, k) };
}

function grow(array: Int32Array, length: number): Int32Array {
  const out = new Int32Array(length);
  out.set(array);
  return out;
}
