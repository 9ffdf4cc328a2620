/**
 * A physical operator holds only its parameters and children; `execute` returns a stream of
 * batches and keeps all of its state inside that execution, so one plan can run many times
 * (prepared statements) or in several places at once.
 */
import { batchRows, sliceBatch, type Batch } from '../../storage/vector.js';
import type { ExecContext } from './context.js';
import { checkCanceled } from './context.js';

export interface Operator {
  /** Name shown by EXPLAIN, e.g. `HashAggregate`. */
  readonly name: string;
  readonly children: readonly Operator[];
  /** One-line detail for EXPLAIN (keys, predicates, table). */
  describe(): string;
  execute(context: ExecContext): AsyncIterable<Batch>;
}

/**
 * Batches from memory (the tail) arrive without any real wait, so a long query would hold the
 * event loop: no cancel request, no other session would be heard. Operators give the loop a turn
 * whenever this much time has passed since the last one.
 */
const yieldIntervalMs = 10;
let lastYield = performance.now();

async function letOthersRun(signal: AbortSignal): Promise<void> {
  const now = performance.now();
  if (now - lastYield >= yieldIntervalMs) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    lastYield = performance.now();
  }
  checkCanceled(signal);
}

/**
 * The most rows a parent gets at once. Stored chunks can be far larger (a bulk INSERT's rows
 * arrive as one), and a parent works through a batch without a break, so slices keep the time
 * between cancel checks short whatever the chunk size.
 */
const maxSliceRows = 16_384;

async function* sliced(batch: Batch, signal: AbortSignal): AsyncIterable<Batch> {
  const rows = batchRows(batch);
  if (rows <= maxSliceRows) {
    await letOthersRun(signal);
    yield batch;
    return;
  }
  for (let start = 0; start < rows; start += maxSliceRows) {
    await letOthersRun(signal);
    yield sliceBatch(batch, start, Math.min(rows, start + maxSliceRows));
  }
}

/** Runs a child operator, counting rows, batches and time for EXPLAIN ANALYZE when asked. */
export async function* run(operator: Operator, context: ExecContext): AsyncIterable<Batch> {
  const profile = context.profile;
  if (profile === null) {
    for await (const batch of operator.execute(context)) yield* sliced(batch, context.signal);
    return;
  }
  let entry = profile.get(operator);
  if (entry === undefined) {
    entry = { rows: 0, batches: 0, timeMs: 0, detail: {} };
    profile.set(operator, entry);
  }
  const iterator = operator.execute(context)[Symbol.asyncIterator]();
  for (;;) {
    const start = performance.now();
    const next = await iterator.next();
    entry.timeMs += performance.now() - start;
    if (next.done) return;
    entry.rows += batchRows(next.value);
    entry.batches++;
    yield* sliced(next.value, context.signal);
  }
}
