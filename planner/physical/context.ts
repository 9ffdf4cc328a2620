/**
 * What a running plan may use from the world around it. The planner defines this interface; the
 * SQL layer implements it (snapshots per statement, inserts honouring the transaction block).
 */
import { DbError, queryCanceled, toDbError } from '../../storage/errors.js';
import type { TableSnapshot } from '../../storage/snapshot.js';
import type { Value } from '../../storage/types.js';
import type { FormatSettings } from '../../storage/value-codecs.js';
import type { Batch } from '../../storage/vector.js';
import type { EvalContext } from '../kernels/eval.js';
import type { LogicalPlan } from '../logical-plan.js';
import type { QueryMemory } from './query-memory.js';

export interface ExecContext extends EvalContext {
  readonly params: readonly Value[];
  readonly settings: FormatSettings;
  /** Aborted by a cancel request or a vanished client; operators check it between batches. */
  readonly signal: AbortSignal;
  /** One snapshot per table per statement, so a statement reads one consistent state. */
  snapshot(tableId: number): TableSnapshot;
  /** Applies rows to a table atomically and durably (or buffers them in a transaction block). */
  insert(tableId: number, batches: readonly Batch[]): Promise<void>;
  /** Rows per batch produced by operators that build batches (default 65,536). */
  readonly batchRows: number;
  /** The statement's subquery plans by index, for correlated subqueries run while it runs. */
  readonly subqueryPlans?: readonly LogicalPlan[];
  /** Inside a recursive query: each running WITH RECURSIVE's current working table, by id. */
  readonly workTables?: ReadonlyMap<number, readonly Batch[]>;
  /** Per-operator counters for EXPLAIN ANALYZE, when requested. */
  readonly profile: Map<object, OperatorProfile> | null;
  /** What the statement's buffering operators hold, against its memory limit (absent: no limit). */
  readonly memory?: QueryMemory;
}

export interface OperatorProfile {
  rows: number;
  batches: number;
  timeMs: number;
  detail: Record<string, number>;
}

/** Why a statement's signal fired: the DbError it was aborted with (a timeout's), else 57014. */
export function abortReason(signal: AbortSignal): DbError {
  const reason: unknown = signal.reason;
  return reason instanceof DbError ? reason : queryCanceled();
}

export function checkCanceled(signal: AbortSignal): void {
  if (signal.aborted) throw abortReason(signal);
}

/** Settles like `promise` (its failure as a DbError), or rejects with the abort reason as soon as the signal fires. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(toDbError(error));
      },
    );
  });
}
