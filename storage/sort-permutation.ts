/**
 * The row order of a segment: a stable merge sort of row indexes by the sort key, done in slices
 * with a yield to the event loop between them, so sorting a million-row tail during a flush does
 * not stall commits and scans for hundreds of milliseconds.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { type RowComparator, rowComparator } from './sort-order.js';
import type { Vector } from './vector.js';

/** Rows sorted (or merged) between two yields. */
const sliceRows = 32_768;

/**
 * The permutation that sorts `vectors` by the key columns (stable: ties keep arrival order), or
 * null when the rows are already in order or there is no key.
 */
export async function sortPermutation(vectors: readonly Vector[], keys: readonly number[], length: number): Promise<Int32Array | null> {
  const compare = rowComparator(vectors, keys);
  if (compare === null || length < 2) return null;
  let sorted = true;
  for (let i = 1; i < length && sorted; i++) sorted = compare(i - 1, i) <= 0;
  if (sorted) return null;

  let from = new Int32Array(length);
  for (let i = 0; i < length; i++) from[i] = i;
  const stable: RowComparator = (i, j) => compare(i, j) || i - j;
  for (let start = 0; start < length; start += sliceRows) {
    from.subarray(start, Math.min(length, start + sliceRows)).sort(stable);
    await yieldToEventLoop();
  }
  // Bottom-up merges of sorted runs; ties take the left run first, which keeps arrival order.
  let to = new Int32Array(length);
  for (let width = sliceRows; width < length; width *= 2) {
    let budget = sliceRows;
    for (let left = 0; left < length; left += 2 * width) {
      const middle = Math.min(length, left + width);
      const right = Math.min(length, left + 2 * width);
      let i = left;
      let j = middle;
      let k = left;
      while (i < middle && j < right) {
        to[k++] = compare(from[j]!, from[i]!) < 0 ? from[j++]! : from[i++]!;
        if (--budget === 0) {
          budget = sliceRows;
          await yieldToEventLoop();
        }
      }
      while (i < middle) to[k++] = from[i++]!;
      while (j < right) to[k++] = from[j++]!;
    }
    [from, to] = [to, from];
  }
  return from;
}
