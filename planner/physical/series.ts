/**
 * generate_series(start, stop[, step]) in FROM, as PostgreSQL 15's generate_series_int4/int8,
 * generate_series_numeric and generate_series_timestamp[tz] produce it: from start while not past
 * stop in the step's direction; a NULL argument gives no rows; a zero step is 22023. Rows come in
 * batches of the context's size, so a long series streams instead of filling memory.
 */
import { resolveTimeZone } from '../../storage/datetime.js';
import { DbError } from '../../storage/errors.js';
import { compareIntervals, decodeInterval, encodeInterval } from '../../storage/interval.js';
import { addIntervalToTimestamp } from '../../storage/interval-timestamp.js';
import { numericAdd, numericCompare } from '../../storage/numeric.js';
import type { DataType, Value } from '../../storage/types.js';
import type { Batch, Vector } from '../../storage/vector.js';
import type { Expr } from '../expr.js';
import { evaluateConstant } from '../kernels/eval.js';
import type { ExecContext } from './context.js';
import { describeExpr } from './describe.js';
import type { Operator } from './operator.js';

const zeroStep = () => new DbError('22023', 'step size cannot equal zero');
const ZERO_INTERVAL = encodeInterval(0, 0, 0);

export class SeriesOperator implements Operator {
  readonly name = 'FunctionScan';
  readonly children: readonly Operator[] = [];
  constructor(readonly start: Expr, readonly stop: Expr, readonly step: Expr | null, readonly type: DataType) {}

  describe(): string {
    const args = [this.start, this.stop, ...(this.step === null ? [] : [this.step])];
    return `generate_series(${args.map((a) => describeExpr(a, [])).join(', ')})`;
  }

  async *execute(context: ExecContext): AsyncIterable<Batch> {
    const start = evaluateConstant(this.start, context);
    const stop = evaluateConstant(this.stop, context);
    const step = this.step === null ? defaultStep(this.type) : evaluateConstant(this.step, context);
    if (start === null || stop === null || step === null) return;
    const size = Math.max(1, context.batchRows);
    const values = this.values(start, stop, step, context);
    for (;;) {
      const chunk: Value[] = [];
      for (let next = values.next(); !next.done; next = values.next()) {
        chunk.push(next.value);
        if (chunk.length === size) break;
      }
      if (chunk.length === 0) return;
      yield { length: chunk.length, columns: [this.vector(chunk)], selection: null };
      if (chunk.length < size) return;
    }
  }

  private vector(chunk: Value[]): Vector {
    const n = chunk.length;
    const type = this.type;
    if (type.layout === 'string') return { kind: 'string', type, length: n, values: chunk as string[], validity: null };
    if (type.layout === 'int64') return { kind: 'fixed', type, length: n, values: BigInt64Array.from(chunk as bigint[]), validity: null };
    const values = type.layout === 'int32' ? Int32Array.from(chunk as number[]) : Float64Array.from(chunk as number[]);
    return { kind: 'fixed', type, length: n, values, validity: null };
  }

  private *values(start: Value, stop: Value, step: Value, context: ExecContext): Generator<Value> {
    switch (this.type.id) {
      case 'int4':
      case 'int8': {
        const big = this.type.id === 'int8';
        const [from, to, by] = [BigInt(start as number | bigint), BigInt(stop as number | bigint), BigInt(step as number | bigint)];
        if (by === 0n) throw zeroStep();
        for (let v = from; by > 0n ? v <= to : v >= to; v += by) yield big ? v : Number(v);
        return;
      }
      case 'numeric': {
        const [from, to, by] = [start as string, stop as string, step as string];
        for (const [v, what] of [[from, 'start value'], [to, 'stop value'], [by, 'step size']] as const) {
          if (v === 'NaN') throw new DbError('22023', `${what} cannot be NaN`);
          if (v === 'Infinity' || v === '-Infinity') throw new DbError('22023', `${what} cannot be infinity`);
        }
        const direction = numericCompare(by, '0');
        if (direction === 0) throw zeroStep();
        for (let v = from; numericCompare(v, to) * direction <= 0; v = numericAdd(v, by)) yield v;
        return;
      }
      default: {
        const direction = compareIntervals(step as string, ZERO_INTERVAL);
        if (direction === 0) throw zeroStep();
        const span = decodeInterval(step as string);
        const zone = this.type.id === 'timestamptz' ? resolveTimeZone(context.settings.timeZone) : null;
        const to = stop as number;
        let v = start as number;
        if (!Number.isFinite(v) || !Number.isFinite(to)) throw new DbError('22008', 'timestamp out of range');
        for (; direction > 0 ? v <= to : v >= to; v = addIntervalToTimestamp(v, span, zone)) yield v;
      }
    }
  }
}

function defaultStep(type: DataType): Value {
  return type.id === 'int8' ? 1n : type.id === 'numeric' ? '1' : 1;
}
