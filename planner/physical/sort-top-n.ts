/**
 * Top-N for ORDER BY ... LIMIT k: keeps a buffer of candidate rows, and when it reaches about 2k
 * rows sorts it and keeps the best k. The k-th row then becomes the boundary: a row of a later
 * batch that does not sort strictly before it can never be in the answer, so each batch is first
 * filtered against the boundary and only its survivors are copied. Memory stays O(k + batch)
 * whatever the input size. Ties keep input order, exactly as the full stable sort would: a later
 * row equal to the boundary sorts after it and is dropped, and the buffer is sorted stably with
 * earlier survivors first.
 */
import { takeRows, type Batch, type Vector } from '../../storage/vector.js';
import { VectorBuilder } from '../../storage/vector-builder.js';
import { columnsUsed } from '../expr.js';
import type { Field, SortKey } from '../logical-plan.js';
import { evaluate, evaluateConstant } from '../kernels/eval.js';
import type { ExecContext } from './context.js';
import { estimateBytes } from './query-memory.js';
import { pairComparator, stableSortPermutation, type Comparator, type TopN } from './sort.js';

/** Above this many rows a full sort is as good, and the buffer would no longer be small. */
export const maxTopNRows = 100_000;

/** Buffers smaller than this are not worth sorting yet (each compaction rebuilds every column). */
const minCompactRows = 4096;

/** limit + offset when a top-N applies; null when the whole input must be sorted. */
export function topNRowCount(topN: TopN, context: ExecContext): number | null {
  const limit = evaluateConstant(topN.limit, context);
  const offset = topN.offset === null ? 0 : evaluateConstant(topN.offset, context);
  // A NULL limit means no limit; negative values are refused by the Limit above.
  if (limit === null || offset === null) return null;
  const rows = Number(limit) + Number(offset);
  if (!(rows >= 0) || rows > maxTopNRows) return null;
  return rows;
}

export interface TopRows {
  /** The buffered rows' columns, in the Sort's schema. */
  readonly columns: readonly Vector[];
  /** The best rows, in sort order, as indexes into `columns`. */
  readonly order: Int32Array;
}

/** Reads `input` and returns its first `keep` rows in the order of `keys`. */
export async function topRows(
  input: AsyncIterable<Batch>,
  schema: readonly Field[],
  keys: readonly SortKey[],
  keep: number,
  context: ExecContext,
  /** Whose memory the buffer is, for the statement's memory limit. */
  owner: object,
): Promise<TopRows> {
  const used = new Set<number>();
  for (const k of keys) columnsUsed(k.expr, used);
  const width = schema.length;
  const compactAt = Math.max(2 * keep, minCompactRows);
  // Columns of the schema, then the evaluated keys (kept, not recomputed: a key may be volatile).
  let builders = newBuilders(schema, keys);
  let length = 0;
  let boundary: Vector[] | null = null;
  // Estimated bytes held by the buffer; a row's width is taken from the first batch.
  let bytes = 0;
  let rowBytes: number | undefined;

  const sortBuffer = (): { views: Vector[]; order: Int32Array } => {
    const views = builders.map((b) => b.view());
    return { views, order: stableSortPermutation(views.slice(width), keys, length) };
  };

  for await (const batch of input) {
    const live = batch.selection === null ? batch.length : batch.selection.length;
    if (live === 0 || keep === 0) continue;
    const keyVectors = keys.map((k) => evaluate(k.expr, denseFor(batch, used), context));
    const rows = boundary === null ? null : rowsBefore(keyVectors, boundary, keep - 1, keys, live);
    if (rows !== null && rows.length === 0) continue;
    const physical = batch.selection === null ? rows : rows === null ? batch.selection : through(batch.selection, rows);
    for (let c = 0; c < width; c++) (builders[c] as VectorBuilder).appendVector(batch.columns[c] as Vector, physical);
    for (let k = 0; k < keys.length; k++) (builders[width + k] as VectorBuilder).appendVector(keyVectors[k] as Vector, rows);
    length += rows === null ? live : rows.length;
    bytes += estimateBytes(keyVectors, rows === null ? live : rows.length) + (rowBytes ??= estimateBytes(batch.columns, 1)) * (rows === null ? live : rows.length);
    context.memory?.hold(owner, bytes);
    if (length < compactAt) continue;
    const { views, order } = sortBuffer();
    const best = order.subarray(0, keep);
    builders = newBuilders(schema, keys, keep);
    views.forEach((v, c) => (builders[c] as VectorBuilder).appendVector(v, best));
    length = keep;
    bytes = Math.round((bytes * keep) / compactAt);
    boundary = builders.slice(width).map((b) => b.view());
  }
  const { views, order } = sortBuffer();
  return { columns: views.slice(0, width), order: order.subarray(0, Math.min(keep, length)) };
}

function newBuilders(schema: readonly Field[], keys: readonly SortKey[], capacity = 1024): VectorBuilder[] {
  return [...schema.map((f) => new VectorBuilder(f.type, capacity)), ...keys.map((k) => new VectorBuilder(k.expr.type, capacity))];
}

/** A dense batch good for evaluating the keys: only the columns they read are compacted. */
function denseFor(batch: Batch, used: ReadonlySet<number>): Batch {
  const selection = batch.selection;
  if (selection === null) return batch;
  const columns = batch.columns.slice();
  // The other columns keep their physical length; the keys never read them.
  for (const c of used) columns[c] = takeRows(batch.columns[c] as Vector, selection);
  return { length: selection.length, columns, selection: null };
}

function through(selection: Int32Array, rows: Int32Array): Int32Array {
  const out = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = selection[rows[i] as number] as number;
  return out;
}

/** The rows of a batch that sort strictly before row `at` of the boundary key vectors. */
function rowsBefore(keyVectors: readonly Vector[], boundary: readonly Vector[], at: number, keys: readonly SortKey[], n: number): Int32Array {
  const comparators = keyVectors.map((v, k) => pairComparator(v, boundary[k] as Vector, keys[k] as SortKey));
  const out = new Int32Array(n);
  let m = 0;
  if (comparators.length === 1) {
    const compare = comparators[0] as Comparator;
    for (let r = 0; r < n; r++) if (compare(r, at) < 0) out[m++] = r;
    return out.subarray(0, m);
  }
  for (let r = 0; r < n; r++) {
    let c = 0;
    for (let k = 0; k < comparators.length && c === 0; k++) c = (comparators[k] as Comparator)(r, at);
    if (c < 0) out[m++] = r;
  }
  return out.subarray(0, m);
}
