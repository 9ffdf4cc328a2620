/**
 * UNION / INTERSECT / EXCEPT [ALL]. Rows compare whole, with NULLs equal to each other (set
 * operations treat NULLs as not distinct). UNION ALL streams both inputs; the others count the
 * right input's rows by key, then filter the left input against the counts.
 */
import { compactBatch, takeRows, type Batch } from '../../storage/vector.js';
import type { Field } from '../logical-plan.js';
import type { ExecContext } from './context.js';
import { compositeKey as rowKey } from '../kernels/equality-key.js';
import { run, type Operator } from './operator.js';
import { rowKeyBytes } from './query-memory.js';

export class SetOpOperator implements Operator {
  readonly name: string;
  readonly children: readonly Operator[];
  constructor(
    readonly left: Operator,
    readonly right: Operator,
    readonly op: 'union' | 'intersect' | 'except',
    readonly all: boolean,
    readonly schema: readonly Field[],
  ) {
    this.children = [left, right];
    this.name = `${op.charAt(0).toUpperCase()}${op.slice(1)}${all ? 'All' : ''}`;
  }

  describe(): string {
    return '';
  }

  async *execute(context: ExecContext): AsyncIterable<Batch> {
    if (this.op === 'union') {
      if (this.all) {
        yield* run(this.left, context);
        yield* run(this.right, context);
        return;
      }
      const seen = new Set<string>();
      for (const input of [this.left, this.right]) {
        for await (const raw of run(input, context)) {
          const rows = keep(compactBatch(raw), (key) => (seen.has(key) ? false : (seen.add(key), true)));
          context.memory?.hold(this, seen.size * rowKeyBytes(raw.columns));
          if (rows !== null) yield rows;
        }
      }
      return;
    }
    const counts = new Map<string, number>();
    for await (const raw of run(this.right, context)) {
      const batch = compactBatch(raw);
      const keyOf = rowKey(batch.columns);
      for (let i = 0; i < batch.length; i++) {
        const key = keyOf(i);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      context.memory?.hold(this, counts.size * rowKeyBytes(batch.columns));
    }
    const emitted = new Set<string>();
    const intersect = this.op === 'intersect';
    for await (const raw of run(this.left, context)) {
      const rows = keep(compactBatch(raw), (key) => {
        const count = counts.get(key) ?? 0;
        if (this.all) {
          // INTERSECT ALL: min(m, n) copies; EXCEPT ALL: max(m - n, 0) copies.
          if (count > 0) counts.set(key, count - 1);
          return intersect ? count > 0 : count === 0;
        }
        if (emitted.has(key) || (intersect ? count === 0 : count > 0)) return false;
        emitted.add(key);
        return true;
      });
      context.memory?.hold(this, (counts.size + emitted.size) * rowKeyBytes(raw.columns));
      if (rows !== null) yield rows;
    }
  }
}

/** The rows of `batch` whose key (over `keyColumns`, default all) `wanted` accepts. */
export function keep(batch: Batch, wanted: (key: string) => boolean, keyColumns: readonly number[] | null = null): Batch | null {
  const keyOf = rowKey(keyColumns === null ? batch.columns : keyColumns.map((c) => batch.columns[c]!));
  const rows: number[] = [];
  for (let i = 0; i < batch.length; i++) if (wanted(keyOf(i))) rows.push(i);
  if (rows.length === 0) return null;
  if (rows.length === batch.length) return batch;
  const selection = Int32Array.from(rows);
  return { length: selection.length, columns: batch.columns.map((c) => takeRows(c, selection)), selection: null };
}
