/**
 * What a worker thread runs: the Filter/Project chain over one table's Scan under an Aggregate,
 * with the aggregate computed partially per task and merged on the coordinator. Everything here
 * is plain data (expressions, plans, DataTypes, values), so it structured-clones to a worker.
 */
import type { ScanStats } from '../../storage/snapshot.js';
import type { Severity } from '../../storage/errors.js';
import type { Value } from '../../storage/types.js';
import type { FormatSettings } from '../../storage/value-codecs.js';
import type { Vector } from '../../storage/vector.js';
import { forEachExpr, type AggregateCall, type AggregateFunction, type Expr } from '../expr.js';
import type { LogicalPlan } from '../logical-plan.js';
import type { PartialState } from '../physical/aggregate-state.js';

export interface AggregateFragment {
  /** The Aggregate's input: Filter/Project nodes over one Scan. */
  readonly input: LogicalPlan;
  readonly groupBy: readonly Expr[];
  readonly aggregates: readonly AggregateCall[];
  /**
   * A DISTINCT aggregate (over the partition key) is exact per partition only: each task then
   * holds a whole partition, whose distinct values no other partition holds.
   */
  readonly wholePartitions: boolean;
}

export interface AggregateTask {
  readonly fragment: AggregateFragment;
  /** Segment files of one partition, in scan order. */
  readonly segmentPaths: readonly string[];
  readonly params: readonly Value[];
  readonly settings: FormatSettings;
  readonly statementTimeMicros: number;
  readonly batchRows: number;
  /** Over a SharedArrayBuffer: the coordinator stores 1 on cancel; the worker stops at its next batch. */
  readonly cancel: Int32Array;
  /**
   * Over a SharedArrayBuffer, one slot per piece of the query: whoever starts piece `piece` first
   * (a worker, or the coordinator when it has nothing else to do) claims it by a compare-exchange.
   */
  readonly claims: Int32Array;
  readonly piece: number;
}

/** Groups in first-seen order, their key columns and each aggregate's partial state. */
export interface PartialAggregate {
  readonly groupCount: number;
  readonly keys: readonly Vector[];
  readonly states: readonly PartialState[];
}

/** A DbError as plain data: the class does not survive a thread boundary, its fields do. */
export interface PlainError {
  readonly code: string;
  readonly message: string;
  readonly severity: Severity;
  readonly fields: Record<string, unknown>;
}

export type TaskOutcome =
  | {
      readonly ok: true;
      readonly partial: PartialAggregate;
      readonly stats: ScanStats;
      /** Rows the task's scan produced, and the task's time inside the worker. */
      readonly scanRows: number;
      readonly timeMs: number;
    }
  | { readonly ok: false; readonly error: PlainError }
  /** The coordinator claimed the piece before a worker started it. */
  | { readonly ok: 'claimed' };

/** Aggregates whose per-group state merges exactly (aggregate-states.ts `partial`/`merge`). */
const mergeable: ReadonlySet<AggregateFunction> = new Set(['count', 'count_star', 'sum', 'avg', 'min', 'max', 'bool_and', 'bool_or']);

/** The fragment of an Aggregate that workers can run, or null when some part of it cannot go. */
export function aggregateFragment(plan: Extract<LogicalPlan, { kind: 'Aggregate' }>): AggregateFragment | null {
  if (plan.groupingSets !== undefined) return null;
  const scan = scanUnder(plan.input);
  if (scan === null) return null;
  if (!plan.groupBy.every(shippable)) return null;
  // count(*) of a whole table is the snapshot's row count (HashAggregate reads nothing).
  const counting = plan.aggregates.length > 0 && plan.aggregates.every((a) => a.fn === 'count_star' && a.filter === null);
  if (counting && plan.groupBy.length === 0 && plan.input.kind === 'Scan' && plan.input.filter === null) return null;
  let wholePartitions = false;
  for (const call of plan.aggregates) {
    if (!mergeable.has(call.fn) || call.orderBy !== undefined || (call.extraArgs?.length ?? 0) > 0) return null;
    if (call.arg !== null && !shippable(call.arg)) return null;
    if (call.filter !== null && !shippable(call.filter)) return null;
    // interval sums keep their own state (interval-aggregate-state.ts), not split yet.
    if ((call.fn === 'sum' || call.fn === 'avg') && call.arg?.type.id === 'interval') return null;
    if (call.distinct) {
      const key = scan.table.partitionKey;
      if (key === null || scan.table.partitionCount < 2 || call.arg === null || sourceColumn(plan.input, call.arg) !== key) return null;
      wholePartitions = true;
    }
  }
  return { input: plan.input, groupBy: plan.groupBy, aggregates: plan.aggregates, wholePartitions };
}

/** The Scan at the bottom of a Filter/Project chain whose expressions can all be shipped. */
export function scanUnder(plan: LogicalPlan): Extract<LogicalPlan, { kind: 'Scan' }> | null {
  switch (plan.kind) {
    case 'Scan':
      return plan.filter === null || shippable(plan.filter) ? plan : null;
    case 'Filter':
      return shippable(plan.predicate) ? scanUnder(plan.input) : null;
    case 'Project':
      return plan.exprs.every(shippable) ? scanUnder(plan.input) : null;
    default:
      return null;
  }
}

/** The table column an expression reads unchanged through the chain, or null. */
function sourceColumn(plan: LogicalPlan, expr: Expr): number | null {
  if (expr.kind !== 'Column') return null;
  switch (plan.kind) {
    case 'Scan':
      return plan.columns[expr.index] ?? null;
    case 'Filter':
      return sourceColumn(plan.input, expr);
    case 'Project': {
      const inner = plan.exprs[expr.index];
      return inner === undefined ? null : sourceColumn(plan.input, inner);
    }
    default:
      return null;
  }
}

/** Subqueries and outer references need the coordinator's state; everything else is self-contained. */
function shippable(expr: Expr): boolean {
  let ok = true;
  forEachExpr(expr, (e) => {
    if (e.kind === 'Subquery' || e.kind === 'OuterRef') ok = false;
  });
  return ok;
}
