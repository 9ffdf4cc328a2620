/**
 * WITH RECURSIVE: the non-recursive term's rows seed a working table; the recursive term runs
 * against the working table (WorkTableScan) and its new rows become the next working table,
 * until a round produces none. UNION (not ALL) drops rows seen in any earlier round, which is
 * also what stops a cycle.
 */
import { compactBatch, type Batch } from '../../storage/vector.js';
import type { ExecContext } from './context.js';
import { run, type Operator } from './operator.js';
import { keep } from './set-op.js';

export class RecursiveUnionOperator implements Operator {
  readonly name: string;
  readonly children: readonly Operator[];
  constructor(
    readonly initial: Operator,
    readonly recursive: Operator,
    readonly id: number,
    readonly all: boolean,
  ) {
    this.children = [initial, recursive];
    this.name = all ? 'RecursiveUnionAll' : 'RecursiveUnion';
  }

  describe(): string {
    return `worktable ${this.id}`;
  }

  async *execute(context: ExecContext): AsyncIterable<Batch> {
    const seen = this.all ? null : new Set<string>();
    const fresh = (batch: Batch): Batch | null => (seen === null ? (batch.length > 0 ? batch : null) : keep(batch, (key) => (seen.has(key) ? false : (seen.add(key), true))));
    let working: Batch[] = [];
    for await (const raw of run(this.initial, context)) {
      const batch = fresh(compactBatch(raw));
      if (batch === null) continue;
      working.push(batch);
      yield batch;
    }
    while (working.length > 0) {
      const workTables = new Map(context.workTables ?? []);
      workTables.set(this.id, working);
      const round: ExecContext = { ...context, workTables };
      const next: Batch[] = [];
      for await (const raw of run(this.recursive, round)) {
        const batch = fresh(compactBatch(raw));
        if (batch === null) continue;
        next.push(batch);
        yield batch;
      }
      working = next;
    }
  }
}

/** The rows of the current round's working table of a recursive query. */
export class WorkTableScanOperator implements Operator {
  readonly name = 'WorkTableScan';
  readonly children: readonly Operator[] = [];
  constructor(readonly id: number) {}

  describe(): string {
    return `worktable ${this.id}`;
  }

  async *execute(context: ExecContext): AsyncIterable<Batch> {
    const batches = context.workTables?.get(this.id);
    if (batches === undefined) throw new Error(`work table ${this.id} read outside its recursive query`);
    for (const batch of batches) yield batch;
  }
}
