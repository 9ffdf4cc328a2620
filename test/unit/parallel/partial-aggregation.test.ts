/**
 * Partial aggregation against the single-threaded aggregate: rows cut into pieces, each piece
 * aggregated on its own, the partials sent through structuredClone (as between threads) and merged
 * in order, must finish to exactly the values one HashAggregate-style pass gives.
 */
import { describe, expect, test } from 'vitest';
import type { AggregateCall, AggregateFunction, Expr } from '../../../planner/expr.js';
import { HashAggregateOperator } from '../../../planner/physical/aggregate.js';
import type { ExecContext } from '../../../planner/physical/context.js';
import type { Operator } from '../../../planner/physical/operator.js';
import { FinalAggregation, PartialAggregation, partialBuffers } from '../../../planner/parallel/partial-aggregation.js';
import { type DataType, Types, type Value } from '../../../storage/types.js';
import { getValue, sliceVector, vectorFromValues, type Batch, type Vector } from '../../../storage/vector.js';
import { Random } from '../../support/random.js';

const context = {
  params: [],
  subqueryResults: [],
  settings: {},
  functions: { lookup: () => undefined },
  statementTimeMicros: 0,
  signal: new AbortController().signal,
  batchRows: 1 << 20,
  profile: null,
} as unknown as ExecContext;

/** The single-threaded answer: HashAggregate over the rows as one batch. */
async function hashAggregate(groupBy: readonly Expr[], aggregates: readonly AggregateCall[], batch: Batch): Promise<Value[][]> {
  const input: Operator = {
    name: 'Rows',
    children: [],
    describe: () => '',
    async *execute() {
      yield batch;
    },
  };
  const schema = [...groupBy, ...aggregates].map((e, i) => ({ name: `c${i}`, type: e.type, tableId: 0, columnNumber: 0 }));
  const out: Value[][] = [];
  for await (const result of new HashAggregateOperator(input, groupBy, aggregates, schema as never, types.map((_, i) => `c${i}`)).execute(context)) {
    out.push(...result.columns.map(rows));
  }
  return out;
}

function randomValues(random: Random, type: DataType, n: number): Value[] {
  const values: Value[] = [];
  for (let i = 0; i < n; i++) {
    if (random.chance(0.1)) {
      values.push(null);
      continue;
    }
    const k = random.int(-40, 40);
    switch (type.id) {
      case 'int4':
        values.push(random.chance(0.02) ? 2 ** 31 - 1 : k);
        break;
      case 'int8':
        values.push(random.chance(0.05) ? 9007199254740993n * BigInt(Math.sign(k) || 1) : BigInt(k));
        break;
      case 'float8':
        values.push(k / 4);
        break;
      case 'numeric':
        values.push(random.chance(0.02) ? 'NaN' : `${k}${random.chance(0.5) ? '.50' : '.5'}`);
        break;
      case 'bool':
        values.push(k % 2 === 0);
        break;
      default:
        values.push(`v${k % 7}`);
    }
  }
  return values;
}

const column = (index: number, type: DataType): Expr => ({ kind: 'Column', index, type });

function call(fn: AggregateFunction, arg: Expr | null, type: DataType, distinct = false): AggregateCall {
  return { fn, arg, distinct, filter: null, type };
}

/** Columns: 0 group key (text), 1 int4, 2 int8, 3 float8, 4 numeric, 5 bool, 6 text. */
const types = [Types.text, Types.int4, Types.int8, Types.float8, Types.numeric, Types.bool, Types.text];
const calls: AggregateCall[] = [
  call('count_star', null, Types.int8),
  call('count', column(4, Types.numeric), Types.int8),
  call('sum', column(1, Types.int4), Types.int8),
  call('avg', column(1, Types.int4), Types.numeric),
  call('sum', column(2, Types.int8), Types.numeric),
  call('avg', column(2, Types.int8), Types.numeric),
  call('sum', column(3, Types.float8), Types.float8),
  call('avg', column(3, Types.float8), Types.float8),
  call('sum', column(4, Types.numeric), Types.numeric),
  call('avg', column(4, Types.numeric), Types.numeric),
  call('min', column(4, Types.numeric), Types.numeric),
  call('max', column(4, Types.numeric), Types.numeric),
  call('min', column(6, Types.text), Types.text),
  call('max', column(2, Types.int8), Types.int8),
  call('min', column(1, Types.int4), Types.int4),
  call('max', column(1, Types.int4), Types.int4),
  call('bool_and', column(5, Types.bool), Types.bool),
  call('bool_or', column(5, Types.bool), Types.bool),
  { ...call('count', column(2, Types.int8), Types.int8, true) },
  { ...call('sum', column(1, Types.int4), Types.int8), filter: column(5, Types.bool) },
];

function rows(vector: Vector): Value[] {
  return Array.from({ length: vector.length }, (_, i) => getValue(vector, i));
}

function finished(final: FinalAggregation): Value[][] {
  const out: Value[][] = [];
  for (const batch of final.batches(1 << 20)) out.push(...batch.columns.map(rows));
  return out;
}

describe('partial aggregation', () => {
  for (const grouped of [false, true]) {
    test(`pieces merged in order equal HashAggregate (${grouped ? 'GROUP BY' : 'no GROUP BY'})`, async () => {
      for (let seed = 1; seed <= 20; seed++) {
        const random = new Random(seed);
        const n = random.int(0, 300);
        const columns = types.map((t) => vectorFromValues(t, randomValues(random, t, n)));
        const groupBy = grouped ? [column(0, Types.text)] : [];
        // count(DISTINCT) is exact per piece only when pieces hold disjoint values (partitions).
        const aggregates = calls.filter((c) => !c.distinct);
        const expected = await hashAggregate(groupBy, aggregates, { length: n, columns, selection: null });
        const merged = new FinalAggregation(groupBy, aggregates);
        let start = 0;
        while (start < n || start === 0) {
          const end = Math.min(n, start + random.int(1, 80));
          const piece = new PartialAggregation(groupBy, aggregates);
          const batch: Batch = { length: end - start, columns: columns.map((c) => sliceVector(c, start, end)), selection: null };
          piece.add(batch, context);
          const partial = piece.result();
          merged.merge(structuredClone(partial, { transfer: partialBuffers(partial) }));
          start = end;
          if (n === 0) break;
        }
        expect(finished(merged), `seed ${seed}`).toEqual(expected);
      }
    });
  }

  test('count(DISTINCT) adds up over pieces with disjoint values', () => {
    const random = new Random(7);
    const values = Array.from({ length: 500 }, () => BigInt(random.int(0, 99)));
    const keys = vectorFromValues(Types.int8, values);
    const distinct = [call('count', column(0, Types.int8), Types.int8, true)];
    const merged = new FinalAggregation([], distinct);
    // Pieces by value modulo 3, as hash partitions split a partition key.
    for (let p = 0; p < 3; p++) {
      const piece = new PartialAggregation([], distinct);
      const mine = values.filter((v) => Number(v) % 3 === p);
      piece.add({ length: mine.length, columns: [vectorFromValues(Types.int8, mine)], selection: null }, context);
      merged.merge(piece.result());
    }
    expect(keys.length).toBe(500);
    expect(finished(merged)).toEqual([[BigInt(new Set(values).size)]]);
  });
});
