/**
 * Window: gathers its input, sorts it once by (partition keys, order keys) with Sort's comparators,
 * finds partition and peer boundaries once, then computes each call as one vector over all rows
 * (typed arrays, type dispatch once per call). Emits the input columns in that order plus one
 * column per call.
 */
import { exprKey } from '../expr.js';
import type { Batch, Vector } from '../../storage/vector.js';
import { compactBatch, sliceVector, takeRows } from '../../storage/vector.js';
import { VectorBuilder } from '../../storage/vector-builder.js';
import type { Field, SortKey } from '../logical-plan.js';
import type { Expr } from '../expr.js';
import { windowCallExprs, type RankingFunction, type ValueFunction, type WindowCall, type WindowFrame } from '../window-call.js';
import { evaluate } from '../kernels/eval.js';
import { checkCanceled, type ExecContext } from './context.js';
import { describeAggregate, describeExpr } from './describe.js';
import { run, type Operator } from './operator.js';
import { stableSortPermutation } from './sort.js';
import { estimateBytes } from './query-memory.js';
import { correlatedIn, prepareCorrelated } from './subquery-run.js';
import { windowAggregate, type Pace } from './window-aggregates.js';
import { computeFrames, windowLayout, type Frames, type WindowLayout } from './window-frames.js';
import { rankingFunction, valueFunction } from './window-functions.js';

const rankingFunctions = new Set(['row_number', 'rank', 'dense_rank', 'percent_rank', 'cume_dist', 'ntile']);

export class WindowOperator implements Operator {
  readonly name = 'Window';
  readonly children: readonly Operator[];
  constructor(
    readonly input: Operator,
    readonly partitionBy: readonly Expr[],
    readonly orderBy: readonly SortKey[],
    readonly calls: readonly WindowCall[],
    readonly inputSchema: readonly Field[],
  ) {
    this.children = [input];
  }

  describe(): string {
    const names = this.inputSchema.map((f) => f.name);
    const parts: string[] = [];
    if (this.partitionBy.length > 0) parts.push(`partition by: ${this.partitionBy.map((e) => describeExpr(e, names)).join(', ')}`);
    if (this.orderBy.length > 0) parts.push(`order by: ${this.orderBy.map((k) => `${describeExpr(k.expr, names)}${k.descending ? ' DESC' : ''}`).join(', ')}`);
    parts.push(`functions: ${this.calls.map((c) => describeCall(c, names)).join(', ')}`);
    return parts.join(' ');
  }

  async *execute(context: ExecContext): AsyncIterable<Batch> {
    const builders = this.inputSchema.map((f) => new VectorBuilder(f.type));
    let total = 0;
    let bytes = 0;
    for await (const raw of run(this.input, context)) {
      const batch = compactBatch(raw);
      batch.columns.forEach((c, i) => (builders[i] as VectorBuilder).appendVector(c));
      total += batch.length;
      context.memory?.hold(this, (bytes += estimateBytes(batch.columns, batch.length)));
    }
    if (total === 0) return;
    const unsorted: Batch = { length: total, columns: builders.map((b) => b.view()), selection: null };
    const correlated = correlatedIn([...this.partitionBy, ...this.orderBy.map((k) => k.expr), ...this.calls.flatMap(windowCallExprs)]);
    // Results are cached by outer values, so they serve the sorted rows as well.
    if (correlated.length > 0) await prepareCorrelated(correlated, unsorted, context);
    const partitionKeys: SortKey[] = this.partitionBy.map((expr) => ({ expr, descending: false, nullsFirst: false }));
    const keys = [...partitionKeys, ...this.orderBy];
    let keyVectors = keys.map((k) => evaluate(k.expr, unsorted, context));
    let sorted = unsorted;
    if (keys.length > 0) {
      // Rank sort only where its order is the type's (not arrays): stableSortPermutation decides.
      const order = stableSortPermutation(keyVectors, keys, total);
      sorted = { length: total, columns: unsorted.columns.map((c) => takeRows(c, order)), selection: null };
      keyVectors = keyVectors.map((v) => takeRows(v, order));
    }
    const orderVectors = keyVectors.slice(partitionKeys.length);
    const layout = windowLayout(total, keyVectors.slice(0, partitionKeys.length), orderVectors, this.orderBy);
    const frameCache = new Map<string, Frames>();
    const framesFor = (frame: WindowFrame): Frames => {
      const key = exprKey(frame);
      let frames = frameCache.get(key);
      if (frames === undefined) frameCache.set(key, (frames = computeFrames(frame, layout, orderVectors, this.orderBy, context)));
      return frames;
    };
    // Frame scans that PostgreSQL also does row by row (float sums whose head moves, EXCLUDE with
    // min/max) can be long: they give the event loop a turn every 10 ms, like operators between batches.
    let lastTurn = performance.now();
    const pace = async () => {
      if (performance.now() - lastTurn < 10) return;
      await new Promise<void>((resolve) => setImmediate(resolve));
      lastTurn = performance.now();
      checkCanceled(context.signal);
    };
    const outputs: Vector[] = [];
    for (const call of this.calls) outputs.push(await computeCall(call, sorted, layout, framesFor, context, pace));
    const columns = [...sorted.columns, ...outputs];
    const step = context.batchRows;
    for (let start = 0; start < total; start += step) {
      const end = Math.min(total, start + step);
      yield { length: end - start, columns: columns.map((c) => sliceVector(c, start, end)), selection: null };
    }
  }
}

async function computeCall(call: WindowCall, batch: Batch, layout: WindowLayout, framesFor: (frame: WindowFrame) => Frames, context: ExecContext, pace: Pace): Promise<Vector> {
  const args = call.args.map((a) => evaluate(a, batch, context));
  if (rankingFunctions.has(call.fn)) return { ...rankingFunction(call.fn as RankingFunction, call.type, layout, args), type: call.type };
  switch (call.fn) {
    case 'lag':
    case 'lead':
      return valueFunction(call.fn, layout, null, args);
    case 'first_value':
    case 'last_value':
    case 'nth_value':
      return valueFunction(call.fn as ValueFunction, layout, framesFor(call.frame), args);
    default: {
      let filter: Uint8Array | null = null;
      if (call.filter !== null) {
        const f = evaluate(call.filter, batch, context);
        filter = new Uint8Array(layout.rows);
        for (let i = 0; i < layout.rows; i++) filter[i] = (f.values[i] as number) & (f.validity === null ? 1 : (f.validity[i] as number));
      }
      return windowAggregate(call, framesFor(call.frame), args[0] ?? null, filter, pace);
    }
  }
}

function describeCall(call: WindowCall, names: readonly string[]): string {
  const aggregate = ['count', 'count_star', 'sum', 'avg', 'min', 'max'].includes(call.fn);
  const text = aggregate
    ? describeAggregate({ fn: call.fn as 'count', arg: call.args[0] ?? null, distinct: false, filter: call.filter, type: call.type }, names)
    : `${call.fn}(${call.args.map((a) => describeExpr(a, names)).join(', ')})`;
  const f = call.frame;
  const bound = (b: WindowFrame['start']) => (b.kind === 'preceding' || b.kind === 'following' ? `${describeExpr(b.offset, names)} ${b.kind.toUpperCase()}` : b.kind.replace(/_/g, ' ').toUpperCase());
  const frame = rankingFunctions.has(call.fn) || call.fn === 'lag' || call.fn === 'lead' ? '' : ` ${f.mode.toUpperCase()} BETWEEN ${bound(f.start)} AND ${bound(f.end)}${f.exclude === 'no_others' ? '' : ` EXCLUDE ${f.exclude.replace(/_/g, ' ').toUpperCase()}`}`;
  return text + frame;
}
