/**
 * Scans a table snapshot: reads only the needed columns, hands storage the zone-map ranges implied
 * by the pushed-down filter (so whole blocks are skipped), then filters the rows that remain.
 */
import type { ColumnRange, ScanStats } from '../../storage/snapshot.js';
import { emptyScanStats } from '../../storage/snapshot.js';
import type { TableDef } from '../../storage/table-def.js';
import { intervalEqualityKey } from '../../storage/interval.js';
import type { Value } from '../../storage/types.js';
import type { Batch } from '../../storage/vector.js';
import type { Expr } from '../expr.js';
import { evaluateConstant, isConstantExpr } from '../kernels/eval.js';
import type { ExecContext } from './context.js';
import type { Operator } from './operator.js';
import { BatchFilter } from './selection.js';
import { describeExpr } from './describe.js';

export class ScanOperator implements Operator {
  readonly name = 'Scan';
  readonly children: readonly Operator[] = [];

  constructor(
    readonly table: TableDef,
    readonly columns: readonly number[],
    readonly filter: Expr | null,
    /** Lets EXPLAIN ANALYZE read back how many segments and blocks were pruned. */
    readonly onStats: ((stats: ScanStats) => void) | null = null,
  ) {}

  describe(): string {
    const names = this.columns.map((c) => this.table.columns[c]?.name ?? `#${c}`);
    const filter = this.filter === null ? '' : ` filter: ${describeExpr(this.filter, names)}`;
    return `${this.table.name} columns: [${names.join(', ')}]${filter}`;
  }

  async *execute(context: ExecContext): AsyncIterable<Batch> {
    const snapshot = context.snapshot(this.table.id);
    const stats = emptyScanStats();
    const ranges = this.filter === null ? [] : rangesOf(this.filter, this.columns, context);
    const filter = this.filter === null ? null : new BatchFilter(this.filter, context);
    try {
      for await (const batch of snapshot.scan({ columns: this.columns, ranges, signal: context.signal, stats, batchRows: context.batchRows })) {
        if (filter === null) {
          yield batch;
          continue;
        }
        const survivors = filter.apply(batch);
        if (survivors !== null) yield survivors;
      }
    } finally {
      this.onStats?.(stats);
      const profile = context.profile?.get(this);
      if (profile !== undefined) Object.assign(profile.detail, stats);
    }
  }
}

/** Zone-map ranges implied by the top-level conjuncts `column op constant` of a filter. */
export function rangesOf(filter: Expr, columns: readonly number[], context: ExecContext): ColumnRange[] {
  const conjuncts = filter.kind === 'And' ? filter.args : [filter];
  const out: ColumnRange[] = [];
  for (const c of conjuncts) {
    if (c.kind === 'IsNull' && c.arg.kind === 'Column') {
      out.push({ column: columns[c.arg.index] as number, isNull: !c.negated });
      continue;
    }
    if (c.kind === 'InList' && !c.negated && c.arg.kind === 'Column' && c.list.every((item) => item.type.id === c.arg.type.id && isConstantExpr(item))) {
      // NULL items never make the test true, so they bound nothing.
      const values = c.list.map((item) => evaluateConstant(item, context)).filter((v) => v !== null);
      if (c.arg.type.id !== 'interval') out.push({ column: columns[c.arg.index] as number, anyOf: values });
      continue;
    }
    if (c.kind !== 'Call' || c.args.length !== 2) continue;
    let [left, right] = c.args as [Expr, Expr];
    let fn = c.fn;
    if (left.kind !== 'Column') {
      [left, right] = [right, left];
      fn = fn === 'lt' ? 'gt' : fn === 'le' ? 'ge' : fn === 'gt' ? 'lt' : fn === 'ge' ? 'le' : fn;
    }
    // An outer reference is constant within one run of a correlated subquery.
    // Constant expressions (now() - interval '7 days') are computed once for the statement.
    if (left.kind !== 'Column' || (right.kind !== 'OuterRef' && !isConstantExpr(right))) continue;
    if (left.type.id !== right.type.id) continue;
    const value: Value = evaluateConstant(right, context);
    if (value === null) continue;
    const column = columns[left.index] as number;
    // Intervals equal by span differ in their fields ('1 day', '24 hours'): bound by the span key
    // alone, which sorts below every value with that key, and the key + '~', which sorts above.
    const interval = left.type.id === 'interval';
    const low: Value = interval ? intervalEqualityKey(value as string) : value;
    const high: Value = interval ? `${low as string}~` : value;
    switch (fn) {
      case 'eq':
        out.push({ column, lower: { value: low, inclusive: true }, upper: { value: high, inclusive: true } });
        break;
      case 'lt':
        out.push({ column, upper: { value: low, inclusive: false } });
        break;
      case 'le':
        out.push({ column, upper: { value: high, inclusive: true } });
        break;
      case 'gt':
        out.push({ column, lower: { value: high, inclusive: false } });
        break;
      case 'ge':
        out.push({ column, lower: { value: low, inclusive: true } });
        break;
      default:
        break;
    }
  }
  return out;
}
