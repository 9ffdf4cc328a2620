/** Turns a boolean predicate vector into a selection of live rows, composing with an existing one. */
import type { Batch, Vector } from '../../storage/vector.js';

/** Rows where the predicate is true (not false, not NULL), as indexes into the predicate. */
export function trueRows(predicate: Vector, length: number): Int32Array | null {
  const values = predicate.values as Uint8Array;
  const validity = predicate.validity;
  let count = 0;
  if (validity === null) for (let i = 0; i < length; i++) count += values[i] as number;
  else for (let i = 0; i < length; i++) count += (values[i] as number) & (validity[i] as number);
  if (count === length) return null;
  const out = new Int32Array(count);
  let k = 0;
  for (let i = 0; i < length; i++) {
    if (values[i] === 1 && (validity === null || validity[i] === 1)) out[k++] = i;
  }
  return out;
}

/** Applies a predicate evaluated over a dense batch; returns null when no row survives. */
export function applyPredicate(batch: Batch, predicate: Vector): Batch | null {
  const rows = trueRows(predicate, batch.length);
  if (rows === null) return batch;
  if (rows.length === 0) return null;
  return { length: batch.length, columns: batch.columns, selection: rows };
}
