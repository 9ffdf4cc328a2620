/**
 * Joins. With equality conditions between the two sides, a hash join: the right side is read into
 * memory and hashed on its key expressions, left batches probe it; other conditions are checked on
 * the candidate pairs. Without any equality it is a nested loop over the buffered right side.
 * LEFT/RIGHT/FULL joins add the rows of their side that matched nothing, padded with NULLs.
 */
import { constantVector, compactBatch, takeRows, type Batch, type Vector } from '../../storage/vector.js';
import { VectorBuilder } from '../../storage/vector-builder.js';
import type { Expr } from '../expr.js';
import type { Field } from '../logical-plan.js';
import { evaluate } from '../kernels/eval.js';
import type { ExecContext } from './context.js';
import { describeExpr } from './describe.js';
import { equalityKeyOf } from '../kernels/equality-key.js';
import { run, type Operator } from './operator.js';
import { trueRows } from './selection.js';

export type JoinType = 'inner' | 'left' | 'right' | 'full' | 'semi' | 'anti';

export class JoinOperator implements Operator {
  readonly name: string;
  readonly children: readonly Operator[];

  constructor(
    readonly left: Operator,
    readonly right: Operator,
    readonly joinType: JoinType,
    /** Key expressions over the left input and over the right input (equal length). */
    readonly leftKeys: readonly Expr[],
    readonly rightKeys: readonly Expr[],
    /** The rest of the condition, over left columns followed by right columns. */
    readonly residual: Expr | null,
    readonly leftSchema: readonly Field[],
    readonly rightSchema: readonly Field[],
  ) {
    this.children = [left, right];
    this.name = leftKeys.length > 0 ? 'HashJoin' : 'NestedLoopJoin';
  }

  describe(): string {
    const names = [...this.leftSchema, ...this.rightSchema].map((f) => f.name);
    const keys = this.leftKeys.map((k, i) => `${describeExpr(k, this.leftSchema.map((f) => f.name))} = ${describeExpr(this.rightKeys[i] as Expr, this.rightSchema.map((f) => f.name))}`);
    const residual = this.residual === null ? [] : [`filter: ${describeExpr(this.residual, names)}`];
    return [this.joinType, ...keys, ...residual].join(' ');
  }

  async *execute(context: ExecContext): AsyncIterable<Batch> {
    const builders = this.rightSchema.map((f) => new VectorBuilder(f.type));
    let rightRows = 0;
    for await (const raw of run(this.right, context)) {
      const batch = compactBatch(raw);
      batch.columns.forEach((c, i) => (builders[i] as VectorBuilder).appendVector(c));
      rightRows += batch.length;
    }
    const right = builders.map((b) => b.view());
    const rightBatch: Batch = { length: rightRows, columns: right, selection: null };
    const table = this.leftKeys.length > 0 ? buildHash(this.rightKeys.map((k) => evaluate(k, rightBatch, context)), rightRows) : null;
    const rightMatched = this.joinType === 'right' || this.joinType === 'full' ? new Uint8Array(rightRows) : null;
    const keepUnmatchedLeft = this.joinType === 'left' || this.joinType === 'full';
    // Semi and anti joins emit left rows only, once each, after all their candidates are checked.
    const filtering = this.joinType === 'semi' || this.joinType === 'anti';
    const step = context.batchRows;

    for await (const raw of run(this.left, context)) {
      const leftBatch = compactBatch(raw);
      const n = leftBatch.length;
      const leftMatched = keepUnmatchedLeft || filtering ? new Uint8Array(n) : null;
      const candidates = table !== null ? probe(table, this.leftKeys.map((k) => evaluate(k, leftBatch, context)), n, step) : crossPairs(n, rightRows, step);
      for (const { left: l, right: r } of candidates) {
        let joined: Batch = { length: l.length, columns: [...leftBatch.columns.map((c) => takeRows(c, l)), ...right.map((c) => takeRows(c, r))], selection: null };
        let keptLeft = l;
        let keptRight = r;
        if (this.residual !== null) {
          const rows = trueRows(evaluate(this.residual, joined, context), joined.length);
          if (rows !== null) {
            keptLeft = rows.map((i) => l[i] as number);
            keptRight = rows.map((i) => r[i] as number);
            joined = { length: joined.length, columns: joined.columns, selection: rows };
          }
        }
        if (leftMatched !== null) for (const i of keptLeft) leftMatched[i] = 1;
        if (rightMatched !== null) for (const i of keptRight) rightMatched[i] = 1;
        if (keptLeft.length > 0 && !filtering) yield joined;
      }
      if (filtering) {
        const rows = this.joinType === 'semi' ? rowsWhereOne(leftMatched as Uint8Array) : rowsWhereZero(leftMatched as Uint8Array);
        if (rows.length > 0) yield { length: rows.length, columns: leftBatch.columns.map((c) => takeRows(c, rows)), selection: null };
      } else if (leftMatched !== null) {
        const unmatched = rowsWhereZero(leftMatched);
        if (unmatched.length > 0) {
          yield { length: unmatched.length, columns: [...leftBatch.columns.map((c) => takeRows(c, unmatched)), ...nulls(this.rightSchema, unmatched.length)], selection: null };
        }
      }
    }
    if (rightMatched !== null) {
      const unmatched = rowsWhereZero(rightMatched);
      for (let start = 0; start < unmatched.length; start += step) {
        const rows = unmatched.subarray(start, Math.min(unmatched.length, start + step));
        yield { length: rows.length, columns: [...nulls(this.leftSchema, rows.length), ...right.map((c) => takeRows(c, rows))], selection: null };
      }
    }
  }
}

function nulls(schema: readonly Field[], length: number): Vector[] {
  return schema.map((f) => constantVector(f.type, null, length));
}

function rowsWhereOne(flags: Uint8Array): Int32Array {
  let count = 0;
  for (let i = 0; i < flags.length; i++) count += flags[i] as number;
  const out = new Int32Array(count);
  let k = 0;
  for (let i = 0; i < flags.length; i++) if (flags[i] === 1) out[k++] = i;
  return out;
}

function rowsWhereZero(flags: Uint8Array): Int32Array {
  let count = 0;
  for (let i = 0; i < flags.length; i++) count += (flags[i] as number) ^ 1;
  const out = new Int32Array(count);
  let k = 0;
  for (let i = 0; i < flags.length; i++) if (flags[i] === 0) out[k++] = i;
  return out;
}

/** Row key of one side; null when any key is NULL (NULL never equals anything). */
function keyFunction(keys: readonly Vector[]): (row: number) => unknown {
  const parts = keys.map((k) => ({ values: k.values as ArrayLike<unknown>, validity: k.validity, keyOf: equalityKeyOf(k.type) }));
  if (parts.length === 1) {
    const { values, validity, keyOf } = parts[0]!;
    return (i) => (validity !== null && validity[i] === 0 ? null : keyOf !== null ? keyOf(values[i] as string) : values[i]);
  }
  return (i) => {
    let key = '';
    for (const p of parts) {
      if (p.validity !== null && p.validity[i] === 0) return null;
      const v = p.values[i];
      const s = typeof v === 'string' ? (p.keyOf !== null ? p.keyOf(v) : v) : String(v);
      key += `${s.length}:${s}|`;
    }
    return key;
  };
}

interface HashTable {
  /** First right row per key, then a chain through `next`. */
  readonly heads: Map<unknown, number>;
  readonly next: Int32Array;
}

function buildHash(keys: readonly Vector[], rows: number): HashTable {
  const keyOf = keyFunction(keys);
  const heads = new Map<unknown, number>();
  const next = new Int32Array(rows).fill(-1);
  // Insert backwards so each chain lists right rows in their original order.
  for (let i = rows - 1; i >= 0; i--) {
    const key = keyOf(i);
    if (key === null) continue;
    const head = heads.get(key);
    if (head !== undefined) next[i] = head;
    heads.set(key, i);
  }
  return { heads, next };
}

interface Pairs {
  readonly left: Int32Array;
  readonly right: Int32Array;
}

/** Matching (left, right) row pairs, at most `step` per chunk, so a many-to-many key cannot blow up memory. */
function* probe(table: HashTable, keys: readonly Vector[], rows: number, step: number): Iterable<Pairs> {
  const keyOf = keyFunction(keys);
  let left = new Int32Array(step);
  let right = new Int32Array(step);
  let k = 0;
  for (let i = 0; i < rows; i++) {
    const key = keyOf(i);
    if (key === null) continue;
    for (let r = table.heads.get(key) ?? -1; r >= 0; r = table.next[r] as number) {
      left[k] = i;
      right[k++] = r;
      if (k === step) {
        yield { left, right };
        left = new Int32Array(step);
        right = new Int32Array(step);
        k = 0;
      }
    }
  }
  if (k > 0) yield { left: left.subarray(0, k), right: right.subarray(0, k) };
}

/** Every (left, right) pair, in chunks of at most `step`. */
function* crossPairs(leftRows: number, rightRows: number, step: number): Iterable<Pairs> {
  const total = leftRows * rightRows;
  for (let start = 0; start < total; start += step) {
    const size = Math.min(step, total - start);
    const left = new Int32Array(size);
    const right = new Int32Array(size);
    for (let k = 0; k < size; k++) {
      const pair = start + k;
      left[k] = Math.floor(pair / rightRows);
      right[k] = pair % rightRows;
    }
    yield { left, right };
  }
}
