/**
 * CASE over a batch: each WHEN is evaluated only on the rows no earlier branch took, each THEN
 * only on the rows its WHEN took (so a branch that would fail on other rows, such as a division
 * by zero, stays silent, as in PostgreSQL), and the branch results are scattered into one output
 * vector with typed-array loops.
 */
import { allocateFixed, takeRows, type Batch, type FixedArray, type Vector } from '../../storage/vector.js';
import { columnsUsed, type Expr } from '../expr.js';

type CaseExpr = Extract<Expr, { kind: 'Case' }>;
export type Evaluate = (expr: Expr, batch: Batch) => Vector;

/** Rows `rows` of a batch for evaluating `expr` on them: only the columns it reads are gathered. */
export function rowsOf(batch: Batch, rows: Int32Array, expr: Expr): Batch {
  const used = columnsUsed(expr);
  return { length: rows.length, columns: batch.columns.map((c, i) => (used.has(i) ? takeRows(c, rows) : c)), selection: null };
}

/** Writes `source` (one value per row of `rows`) into the output at those rows. */
class CaseOutput {
  private readonly fixed: FixedArray | null;
  private readonly strings: string[] | null;
  /** 0 = NULL: rows no branch takes stay NULL. */
  readonly validity: Uint8Array;

  constructor(readonly expr: CaseExpr, readonly length: number) {
    this.validity = new Uint8Array(length);
    this.fixed = expr.type.layout === 'string' ? null : allocateFixed(expr.type.layout, length);
    this.strings = expr.type.layout === 'string' ? new Array<string>(length).fill('') : null;
  }

  scatter(source: Vector, rows: Int32Array | null, count: number): void {
    const validity = this.validity;
    const sourceValidity = source.validity;
    if (this.strings !== null) {
      const out = this.strings;
      const values = source.values as readonly string[];
      for (let k = 0; k < count; k++) out[rows === null ? k : (rows[k] as number)] = values[k] as string;
    } else if (this.fixed instanceof BigInt64Array) {
      const out = this.fixed;
      const values = source.values as BigInt64Array;
      for (let k = 0; k < count; k++) out[rows === null ? k : (rows[k] as number)] = values[k] as bigint;
    } else {
      const out = this.fixed as Float64Array;
      const values = source.values as Float64Array;
      for (let k = 0; k < count; k++) out[rows === null ? k : (rows[k] as number)] = values[k] as number;
    }
    for (let k = 0; k < count; k++) validity[rows === null ? k : (rows[k] as number)] = sourceValidity === null ? 1 : (sourceValidity[k] as number);
  }

  finish(): Vector {
    const { expr, length, validity } = this;
    let allValid = true;
    for (let i = 0; i < length && allValid; i++) allValid = validity[i] === 1;
    const v = allValid ? null : validity;
    if (this.strings !== null) return { kind: 'string', type: expr.type, length, values: this.strings, validity: v };
    return { kind: 'fixed', type: expr.type, length, values: this.fixed as FixedArray, validity: v };
  }
}

export function evaluateCaseExpr(expr: CaseExpr, batch: Batch, evaluate: Evaluate): Vector {
  const n = batch.length;
  const output = new CaseOutput(expr, n);
  // The undecided rows, as batch row numbers; null = every row.
  let pending: Int32Array | null = null;
  let pendingCount = n;
  for (let w = 0; w < expr.whens.length && pendingCount > 0; w++) {
    const when = expr.whens[w]!;
    const condition = evaluate(when.when, pending === null ? batch : rowsOf(batch, pending, when.when));
    const hits = condition.values as Uint8Array;
    const hitsValid = condition.validity;
    const taken = new Int32Array(pendingCount);
    const rest = new Int32Array(pendingCount);
    let t = 0;
    let r = 0;
    for (let k = 0; k < pendingCount; k++) {
      const row = pending === null ? k : (pending[k] as number);
      if (hits[k] === 1 && (hitsValid === null || hitsValid[k] === 1)) taken[t++] = row;
      else rest[r++] = row;
    }
    if (t > 0) {
      const rows = taken.subarray(0, t);
      const all = t === n;
      const result = evaluate(when.then, all ? batch : rowsOf(batch, rows, when.then));
      output.scatter(result, all ? null : rows, t);
    }
    pending = rest.subarray(0, r);
    pendingCount = r;
  }
  if (pendingCount > 0 && expr.otherwise !== null) {
    const all = pending === null;
    const result = evaluate(expr.otherwise, all ? batch : rowsOf(batch, pending as Int32Array, expr.otherwise));
    output.scatter(result, all ? null : pending, pendingCount);
  }
  return output.finish();
}

