/**
 * A physical operator holds only its parameters and children; `execute` returns a stream of
 * batches and keeps all of its state inside that execution, so one plan can run many times
 * (prepared statements) or in several places at once.
 */
import { batchRows, type Batch } from '../../storage/vector.js';
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

/** Runs a child operator, counting rows, batches and time for EXPLAIN ANALYZE when asked. */
export async function* run(operator: Operator, context: ExecContext): AsyncIterable<Batch> {
  const profile = context.profile;
  if (profile === null) {
    for await (const batch of operator.execute(context)) {
      await letOthersRun(context.signal);
      yield batch;
    }
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
    await letOthersRun(context.signal);
    entry.rows += batchRows(next.value);
    entry.batches++;
    yield next.value;
  }
}
