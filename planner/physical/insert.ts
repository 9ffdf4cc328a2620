/**
 * Insert: pulls every row of its input (all table columns, already cast), checks NOT NULL, and
 * hands the rows to the context in one call, so a statement is applied whole or not at all.
 * Yields one batch holding the inserted row count.
 */
import { notNullViolation } from '../../storage/errors.js';
import type { TableDef } from '../../storage/table-def.js';
import { Types } from '../../storage/types.js';
import { compactBatch, type Batch } from '../../storage/vector.js';
import type { ExecContext } from './context.js';
import { run, type Operator } from './operator.js';

export class InsertOperator implements Operator {
  readonly name = 'Insert';
  readonly children: readonly Operator[];
  constructor(readonly input: Operator, readonly table: TableDef) {
    this.children = [input];
  }
  describe(): string {
    return `on ${this.table.name}`;
  }
  async *execute(context: ExecContext): AsyncIterable<Batch> {
    const batches: Batch[] = [];
    let rows = 0;
    for await (const raw of run(this.input, context)) {
      const batch = compactBatch(raw);
      this.table.columns.forEach((column, i) => {
        const validity = batch.columns[i]?.validity;
        if (column.notNull && validity != null && validity.includes(0)) throw notNullViolation(column.name, this.table.name);
      });
      if (batch.length > 0) batches.push(batch);
      rows += batch.length;
    }
    if (rows > 0) await context.insert(this.table.id, batches);
    yield { length: 1, columns: [{ kind: 'fixed', type: Types.int8, length: 1, values: BigInt64Array.of(BigInt(rows)), validity: null }], selection: null };
  }
}
