/**
 * Sort: gathers the input into column builders, sorts a row permutation over the key vectors
 * (dense ranks and one native sort where the key types allow, else a comparator over typed arrays;
 * NULLS FIRST/LAST per key; stable), then emits batches in that order. Under a LIMIT (`topN`), it
 * keeps only the best limit + offset rows while reading (sort-top-n.ts) instead of the whole input.
 */
import type { DataType } from '../../storage/types.js';
import { compactBatch, takeRows, type Batch, type Vector } from '../../storage/vector.js';
import { VectorBuilder } from '../../storage/vector-builder.js';
import type { Expr } from '../expr.js';
import type { Field, SortKey } from '../logical-plan.js';
import { evaluate } from '../kernels/eval.js';
import { valueOrder } from '../kernels/compare.js';
import type { ExecContext } from './context.js';
import { describeExpr } from './describe.js';
import { run, type Operator } from './operator.js';
import { estimateBytes } from './query-memory.js';
import { rankSortPermutation } from './sort-ranks.js';
import { topNRowCount, topRows } from './sort-top-n.js';

/** The LIMIT above a Sort: the sort need only keep the first limit + offset rows. */
export interface TopN {
  readonly limit: Expr;
  readonly offset: Expr | null;
}

export class SortOperator implements Operator {
  readonly name = 'Sort';
  readonly children: readonly Operator[];
  constructor(
    readonly input: Operator,
    readonly keys: readonly SortKey[],
    readonly schema: readonly Field[],
    readonly topN: TopN | null = null,
  ) {
    this.children = [input];
  }

  describe(): string {
    const names = this.schema.map((f) => f.name);
    return this.keys
      .map((k) => `${describeExpr(k.expr, names)}${k.descending ? ' DESC' : ''}${k.nullsFirst !== k.descending ? (k.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST') : ''}`)
      .join(', ');
  }

  async *execute(context: ExecContext): AsyncIterable<Batch> {
    try {
      const keep = this.topN === null ? null : topNRowCount(this.topN, context);
      const { columns, order } = keep !== null ? await topRows(run(this.input, context), this.schema, this.keys, keep, context, this) : await this.sortAll(context);
      const total = order.length;
      const step = context.batchRows;
      for (let start = 0; start < total; start += step) {
        const rows = order.subarray(start, Math.min(total, start + step));
        yield { length: rows.length, columns: columns.map((c) => takeRows(c, rows)), selection: null };
      }
    } finally {
      context.memory?.release(this);
    }
  }

  private async sortAll(context: ExecContext): Promise<{ columns: readonly Vector[]; order: Int32Array }> {
    const builders = this.schema.map((f) => new VectorBuilder(f.type));
    let total = 0;
    let bytes = 0;
    for await (const raw of run(this.input, context)) {
      const batch = compactBatch(raw);
      batch.columns.forEach((c, i) => (builders[i] as VectorBuilder).appendVector(c));
      total += batch.length;
      // The buffered rows, plus the keys and the permutation the sort will add.
      bytes += estimateBytes(batch.columns, batch.length) + 16 * batch.length;
      context.memory?.hold(this, bytes);
    }
    const columns = builders.map((b) => b.view());
    const all: Batch = { length: total, columns, selection: null };
    return { columns, order: stableSortPermutation(this.keys.map((k) => evaluate(k.expr, all, context)), this.keys, total) };
  }
}

export type Comparator = (a: number, b: number) => number;

/**
 * Compares row a of vector `left` with row b of vector `right` (both of one key's type) by the
 * key's direction and NULLS placement. The two are the same vector when sorting; the top-N
 * compares incoming rows with its boundary row, which lives in its buffer.
 */
export function pairComparator(left: Vector, right: Vector, key: Pick<SortKey, 'descending' | 'nullsFirst'>): Comparator {
  const leftValidity = left.validity;
  const rightValidity = right.validity;
  const xs = left.values as ArrayLike<number | bigint | string>;
  const ys = right.values as ArrayLike<number | bigint | string>;
  const direction = key.descending ? -1 : 1;
  const nullOrder = key.nullsFirst ? -1 : 1;
  const type: DataType = left.type;
  const order = type.layout === 'string' || type.layout.startsWith('float') ? valueOrder(type) : null;
  const compare: Comparator =
    order !== null
      ? (a, b) => order(xs[a] as string, ys[b] as string)
      : (a, b) => {
          const x = xs[a] as number;
          const y = ys[b] as number;
          return x < y ? -1 : x > y ? 1 : 0;
        };
  if (leftValidity === null && rightValidity === null) return direction === 1 ? compare : (a, b) => -compare(a, b);
  return (a, b) => {
    const an = leftValidity !== null && leftValidity[a] === 0;
    const bn = rightValidity !== null && rightValidity[b] === 0;
    if (an || bn) return an && bn ? 0 : an ? nullOrder : -nullOrder;
    return direction * compare(a, b);
  };
}

/** Compares two rows of one key vector by the key's direction and NULLS placement. */
export function keyComparator(vector: Vector, key: Pick<SortKey, 'descending' | 'nullsFirst'>): Comparator {
  return pairComparator(vector, vector, key);
}

/** A stable permutation of [0, n) ordering rows by the keys. */
export function sortPermutation(keyVectors: readonly Vector[], keys: readonly SortKey[], n: number): Int32Array {
  const comparators = keyVectors.map((v, i) => keyComparator(v, keys[i] as SortKey));
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const single = comparators.length === 1 ? (comparators[0] as Comparator) : null;
  order.sort(
    single !== null
      ? (a, b) => single(a, b) || a - b
      : (a, b) => {
          for (const c of comparators) {
            const r = c(a, b);
            if (r !== 0) return r;
          }
          return a - b;
        },
  );
  return order;
}

/**
 * Rank sort orders strings by code unit and numerics by value; jsonb, intervals and arrays have
 * orders of their own, so keys of those types take the comparator.
 */
function rankable(vector: Vector): boolean {
  const id = vector.type.id;
  return vector.kind === 'fixed' || id === 'text' || id === 'varchar' || id === 'numeric';
}

/** The same permutation as `sortPermutation`, by rank sort where it can promise that. */
export function stableSortPermutation(keyVectors: readonly Vector[], keys: readonly SortKey[], n: number): Int32Array {
  const fast = n > 64 && keyVectors.every(rankable) ? rankSortPermutation(keyVectors, keys, n) : null;
  return fast ?? sortPermutation(keyVectors, keys, n);
}
