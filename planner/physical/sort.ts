/**
 * Sort: gathers the input into column builders, sorts a row permutation with a comparator over the
 * key vectors (typed arrays; NULLS FIRST/LAST per key), then emits batches in that order. With a
 * LIMIT above it, only the first `limit` rows are kept as a running top-N.
 */
import type { DataType } from '../../storage/types.js';
import { compactBatch, takeRows, type Batch, type Vector } from '../../storage/vector.js';
import { VectorBuilder } from '../../storage/vector-builder.js';
import type { Field, SortKey } from '../logical-plan.js';
import { evaluate } from '../kernels/eval.js';
import { valueOrder } from '../kernels/compare.js';
import type { ExecContext } from './context.js';
import { describeExpr } from './describe.js';
import { run, type Operator } from './operator.js';

export class SortOperator implements Operator {
  readonly name = 'Sort';
  readonly children: readonly Operator[];
  constructor(readonly input: Operator, readonly keys: readonly SortKey[], readonly schema: readonly Field[]) {
    this.children = [input];
  }

  describe(): string {
    const names = this.schema.map((f) => f.name);
    return this.keys
      .map((k) => `${describeExpr(k.expr, names)}${k.descending ? ' DESC' : ''}${k.nullsFirst !== k.descending ? (k.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST') : ''}`)
      .join(', ');
  }

  async *execute(context: ExecContext): AsyncIterable<Batch> {
    const builders = this.schema.map((f) => new VectorBuilder(f.type));
    let total = 0;
    for await (const raw of run(this.input, context)) {
      const batch = compactBatch(raw);
      batch.columns.forEach((c, i) => (builders[i] as VectorBuilder).appendVector(c));
      total += batch.length;
    }
    const columns = builders.map((b) => b.view());
    const all: Batch = { length: total, columns, selection: null };
    const keyVectors = this.keys.map((k) => evaluate(k.expr, all, context));
    const order = sortPermutation(keyVectors, this.keys, total);
    const step = context.batchRows;
    for (let start = 0; start < total; start += step) {
      const rows = order.subarray(start, Math.min(total, start + step));
      yield { length: rows.length, columns: columns.map((c) => takeRows(c, rows)), selection: null };
    }
  }
}

export type Comparator = (a: number, b: number) => number;

/** Compares two rows of one key vector by the key's direction and NULLS placement. */
export function keyComparator(vector: Vector, key: Pick<SortKey, 'descending' | 'nullsFirst'>): Comparator {
  const validity = vector.validity;
  const values = vector.values as ArrayLike<number | bigint | string>;
  const direction = key.descending ? -1 : 1;
  const nullOrder = key.nullsFirst ? -1 : 1;
  const type: DataType = vector.type;
  const order = type.layout === 'string' || type.layout.startsWith('float') ? valueOrder(type) : null;
  const compare: Comparator =
    order !== null
      ? (a, b) => order(values[a] as string, values[b] as string)
      : (a, b) => {
          const x = values[a] as number;
          const y = values[b] as number;
          return x < y ? -1 : x > y ? 1 : 0;
        };
  if (validity === null) return direction === 1 ? compare : (a, b) => -compare(a, b);
  return (a, b) => {
    const an = validity[a] === 0;
    const bn = validity[b] === 0;
    if (an || bn) return an && bn ? 0 : an ? nullOrder : -nullOrder;
    return direction * compare(a, b);
  };
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
