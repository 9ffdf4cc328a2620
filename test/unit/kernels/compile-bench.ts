/**
 * Micro-benchmark (not part of the test run): interpreted versus compiled predicates over 10M
 * generated rows in 64K-row batches, in process. Run: `npx vite-node test/unit/kernels/compile-bench.ts`.
 */
import type { Expr } from '../../../planner/expr.js';
import { evaluate, type EvalContext } from '../../../planner/kernels/eval.js';
import { applyPredicate, BatchFilter } from '../../../planner/physical/selection.js';
import { Types, type DataType } from '../../../storage/types.js';
import { dictionaryVector, type Batch, type FixedVector } from '../../../storage/vector.js';
import { Random } from '../../support/random.js';

const totalRows = Number(process.env.ROWS ?? 10_000_000);
const batchRows = 65_536;
const context = { params: [5000], subqueryResults: [], settings: {}, functions: { lookup: () => undefined }, statementTimeMicros: 0 } as unknown as EvalContext;

// Columns: 0 is_bot bool (2% NULL), 1 duration_ms int4, 2 event_time timestamptz, 3 user_id int8, 4 score float8,
// 5 event_type text (dictionary-coded, 20 entries).
const eventTypes = Array.from({ length: 20 }, (_, i) => (i === 19 ? 'page_view' : `event_${i}`));

function makeBatches(): Batch[] {
  const random = new Random(7);
  const out: Batch[] = [];
  const start = Date.UTC(2024, 3, 1) * 1000;
  for (let done = 0; done < totalRows; done += batchRows) {
    const n = Math.min(batchRows, totalRows - done);
    const bot = new Uint8Array(n);
    const botValid = new Uint8Array(n);
    const duration = new Int32Array(n);
    const time = new Float64Array(n);
    const user = new BigInt64Array(n);
    const score = new Float64Array(n);
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      bot[i] = random.chance(0.1) ? 1 : 0;
      botValid[i] = random.chance(0.98) ? 1 : 0;
      duration[i] = random.int(0, 30000);
      time[i] = start + (done + i) * 1e6;
      user[i] = BigInt(random.int(1, 2000));
      score[i] = random.next();
      codes[i] = Math.min(random.int(0, 39), 19);
    }
    const fixed = (type: DataType, values: FixedVector['values'], validity: Uint8Array | null): FixedVector => ({ kind: 'fixed', type, length: n, values, validity });
    out.push({
      length: n,
      columns: [fixed(Types.bool, bot, botValid), fixed(Types.int4, duration, null), fixed(Types.timestamptz, time, null), fixed(Types.int8, user, null), fixed(Types.float8, score, null), dictionaryVector(Types.text, null, eventTypes, codes)],
      selection: null,
    });
  }
  return out;
}

const bool = Types.bool;
const col = (index: number, type: DataType): Expr => ({ kind: 'Column', index, type });
const lit = (value: number | bigint | boolean | string, type: DataType): Expr => ({ kind: 'Literal', value, type });
const call = (fn: 'eq' | 'gt' | 'ge' | 'le' | 'mul', args: Expr[], type: DataType = bool): Expr => ({ kind: 'Call', fn, args, type });
const duration = col(1, Types.int4);

const predicates: [string, Expr][] = [
  ['is_bot = false AND duration_ms > $1', { kind: 'And', args: [call('eq', [col(0, bool), lit(false, bool)]), call('gt', [duration, { kind: 'Param', index: 0, type: Types.int4 }])], type: bool }],
  [
    "duration_ms BETWEEN 1000 AND 20000 AND event_time >= '2024-05-01'",
    { kind: 'And', args: [call('ge', [duration, lit(1000, Types.int4)]), call('le', [duration, lit(20000, Types.int4)]), call('ge', [col(2, Types.timestamptz), lit(Date.UTC(2024, 4, 1) * 1000, Types.timestamptz)])], type: bool },
  ],
  ['user_id > 1000 OR is_bot IS NULL', { kind: 'Or', args: [call('gt', [col(3, Types.int8), lit(1000n, Types.int8)]), { kind: 'IsNull', arg: col(0, bool), negated: false, type: bool }], type: bool }],
  [
    'duration_ms IN (100, 200, 300, 5000) OR duration_ms * 2 > 50000',
    {
      kind: 'Or',
      args: [
        { kind: 'InList', arg: duration, list: [100, 200, 300, 5000].map((v) => lit(v, Types.int4)), negated: false, type: bool },
        call('gt', [call('mul', [duration, lit(2, Types.int4)], Types.int4), lit(50000, Types.int4)]),
      ],
      type: bool,
    },
  ],
  ['score > 0.5 (float8, NaN-aware)', call('gt', [col(4, Types.float8), lit(0.5, Types.float8)])],
  ["event_type = 'event_3' (dictionary-coded text)", call('eq', [col(5, Types.text), lit('event_3', Types.text)])],
];

function time(batches: readonly Batch[], filter: (batch: Batch) => Batch | null): { ms: number; rows: number } {
  let best = Infinity;
  let rows = 0;
  for (let rep = 0; rep < 5; rep++) {
    rows = 0;
    // CPU time of this process: the machine is shared, and wall time counts the others' work.
    const start = process.cpuUsage();
    for (const batch of batches) {
      const kept = filter(batch);
      if (kept !== null) rows += kept.selection === null ? kept.length : kept.selection.length;
    }
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return { ms: best, rows };
}

const batches = makeBatches();
console.log(`${totalRows} rows in ${batches.length} batches; best of 5 runs, CPU time`);
for (const [name, predicate] of predicates) {
  const interpreted = time(batches, (b) => applyPredicate(b, evaluate(predicate, b, context)));
  const filter = new BatchFilter(predicate, context);
  const compiled = time(batches, (b) => filter.apply(b));
  if (interpreted.rows !== compiled.rows) throw new Error(`${name}: ${interpreted.rows} rows interpreted, ${compiled.rows} compiled`);
  const rate = (ms: number) => `${(totalRows / ms / 1e6).toFixed(2)} G rows/s`;
  console.log(
    `${name}\n  interpreted ${interpreted.ms.toFixed(0)} ms (${rate(interpreted.ms)})  compiled ${compiled.ms.toFixed(0)} ms (${rate(compiled.ms)})  x${(interpreted.ms / compiled.ms).toFixed(1)}  selectivity ${((100 * compiled.rows) / totalRows).toFixed(0)}%`,
  );
}
