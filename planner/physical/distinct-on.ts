/** DISTINCT ON: keeps the first row of each group of equal key columns, in the order rows arrive. */
import { compactBatch, type Batch } from '../../storage/vector.js';
import type { ExecContext } from './context.js';
import { run, type Operator } from './operator.js';
import { rowKeyBytes } from './query-memory.js';
import { keep } from './set-op.js';

export class DistinctOnOperator implements Operator {
  readonly name = 'DistinctOn';
  readonly children: readonly Operator[];
  constructor(readonly input: Operator, readonly keys: readonly number[], readonly names: readonly string[]) {
    this.children = [input];
  }
  describe(): string {
    return this.keys.map((k) => this.names[k] ?? `#${k}`).join(', ');
  }
  async *execute(context: ExecContext): AsyncIterable<Batch> {
    const seen = new Set<string>();
    for await (const raw of run(this.input, context)) {
      const rows = keep(compactBatch(raw), (key) => (seen.has(key) ? false : (seen.add(key), true)), this.keys);
      context.memory?.hold(this, seen.size * rowKeyBytes(this.keys.map((k) => raw.columns[k]!)));
      if (rows !== null) yield rows;
    }
  }
}
