/**
 * Joins. With equality conditions between the two sides, a hash join: the right side is read into
 * memory and its keys go into an open-addressing table over int32 key words (join-hash-table.ts),
 * left batches probe it; other conditions are checked on the candidate pairs. Without any equality it is a nested loop over the buffered right side.
 * LEFT/RIGHT/FULL joins add the rows of their side that matched nothing, padded with NULLs.
 */
import { assert } from '../../storage/errors.js';
import { constantVector, compactBatch, takeRows, type Batch, type Vector } from '../../storage/vector.js';
import { VectorBuilder } from '../../storage/vector-builder.js';
import type { Expr } from '../expr.js';
import type { Field } from '../logical-plan.js';
import { evaluate } from '../kernels/eval.js';
import type { ExecContext } from './context.js';
import { describeExpr } from './describe.js';
import { buildDenseTable, denseTableBytes, probeDenseTable, type DenseJoinTable } from './join-dense-table.js';
import { buildWordTable, probeWordTable, wordTableBytes, type JoinHashTable, type Pairs } from './join-hash-table.js';
import { run, type Operator } from './operator.js';
import { estimateBytes } from './query-memory.js';
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
    try {
      yield* this.join(context);
    } finally {
      context.memory?.release(this);
    }
  }

  private async *join(context: ExecContext): AsyncIterable<Batch> {
    const builders = this.rightSchema.map((f) => new VectorBuilder(f.type));
    let rightRows = 0;
    let rightBytes = 0;
    for await (const raw of run(this.right, context)) {
      const batch = compactBatch(raw);
      batch.columns.forEach((c, i) => (builders[i] as VectorBuilder).appendVector(c));
      rightRows += batch.length;
      context.memory?.hold(this, (rightBytes += estimateBytes(batch.columns, batch.length)));
    }
    const right = builders.map((b) => b.view());
    const rightBatch: Batch = { length: rightRows, columns: right, selection: null };
    let table: JoinHashTable | DenseJoinTable | null = null;
    if (this.leftKeys.length > 0) {
      this.leftKeys.forEach((k, i) => assert(k.type.layout === (this.rightKeys[i] as Expr).type.layout, `join keys of types ${k.type.name} and ${(this.rightKeys[i] as Expr).type.name}`));
      const keys = this.rightKeys.map((k) => evaluate(k, rightBatch, context));
      table = (keys.length === 1 ? buildDenseTable(keys[0] as Vector, rightRows) : null) ?? buildWordTable(this.rightKeys.map((k) => k.type), keys, rightRows);
      context.memory?.hold(this, rightBytes + (table.kind === 'dense' ? denseTableBytes(table) : wordTableBytes(table)));
    }
    const rightMatched = this.joinType === 'right' || this.joinType === 'full' ? new Uint8Array(rightRows) : null;
    const keepUnmatchedLeft = this.joinType === 'left' || this.joinType === 'full';
    // Semi and anti joins emit left rows only, once each, after all their candidates are checked.
    const filtering = this.joinType === 'semi' || this.joinType === 'anti';
    const step = context.batchRows;

    for await (const raw of run(this.left, context)) {
      const leftBatch = compactBatch(raw);
      const n = leftBatch.length;
      const leftMatched = keepUnmatchedLeft || filtering ? new Uint8Array(n) : null;
      const candidates = table === null ? crossPairs(n, rightRows, step) : probe(table, this.leftKeys.map((k) => evaluate(k, leftBatch, context)), n, step);
      for (const { left: l, right: r } of candidates) {
        // Every probe row matched once, in order (a foreign key into a dimension table): the probe
        // columns pass through as they are instead of being gathered.
        const leftColumns = isIdentity(l, n) ? leftBatch.columns : leftBatch.columns.map((c) => takeRows(c, l));
        let joined: Batch = { length: l.length, columns: [...leftColumns, ...right.map((c) => takeRows(c, r))], selection: null };
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

function probe(table: JoinHashTable | DenseJoinTable, keys: readonly Vector[], rows: number, step: number): Iterable<Pairs> {
  return table.kind === 'dense' ? probeDenseTable(table, keys[0] as Vector, rows, step) : probeWordTable(table, keys, rows, step);
}

function isIdentity(rows: Int32Array, n: number): boolean {
  if (rows.length !== n) return false;
  for (let i = 0; i < n; i++) if (rows[i] !== i) return false;
  return true;
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
