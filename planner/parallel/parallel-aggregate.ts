/**
 * Parallel Aggregate: the Aggregate's Scan -> Filter/Project chain runs per group of segments in
 * worker threads, each producing a partial aggregate; the coordinator runs the same chain over the
 * tail meanwhile, then merges every partial in scan order and finishes the aggregates. When the
 * snapshot has too few segment rows (or rows only this process holds) it runs as HashAggregate.
 */
import { DbError } from '../../storage/errors.js';
import { emptyScanStats, segmentsMatching, type ScanStats, type SnapshotSplit, type TableSnapshot } from '../../storage/snapshot.js';
import type { Batch } from '../../storage/vector.js';
import type { LogicalPlan } from '../logical-plan.js';
import type { HashAggregateOperator } from '../physical/aggregate.js';
import { untilAborted, type ExecContext, type OperatorProfile } from '../physical/context.js';
import { run, type Operator } from '../physical/operator.js';
import { rangesOf, ScanOperator } from '../physical/scan.js';
import { aggregateFragment, type AggregateFragment, type PartialAggregate, type TaskOutcome } from './fragment.js';
import { FinalAggregation, PartialAggregation } from './partial-aggregation.js';
import { planPieces, workerRows, type Piece } from './pieces.js';
import { fragmentRunner, type FragmentRunner } from './runner.js';

/** The parallel form of an Aggregate when a pool is installed and the plan can be shipped; else null. */
export function parallelAggregate(plan: Extract<LogicalPlan, { kind: 'Aggregate' }>, local: HashAggregateOperator): Operator | null {
  const runner = fragmentRunner();
  if (runner === null || runner.workers <= 0) return null;
  const fragment = aggregateFragment(plan);
  if (fragment === null) return null;
  return new ParallelAggregateOperator(runner, fragment, local);
}

export class ParallelAggregateOperator implements Operator {
  readonly name = 'Parallel Aggregate';
  readonly children: readonly Operator[];
  private readonly scan: ScanOperator;

  constructor(
    readonly runner: FragmentRunner,
    readonly fragment: AggregateFragment,
    /** The same aggregate on the coordinator alone; its input is the chain each piece runs. */
    readonly local: HashAggregateOperator,
  ) {
    this.children = [local.input];
    let scan: Operator = local.input;
    while (!(scan instanceof ScanOperator)) scan = scan.children[0] as Operator;
    this.scan = scan;
  }

  describe(): string {
    const rest = this.local.describe();
    return `(workers: ${this.runner.workers})${rest === '' ? '' : ` ${rest}`}`;
  }

  async *execute(context: ExecContext): AsyncIterable<Batch> {
    const snapshot = context.snapshot(this.scan.table.id);
    const whole = snapshot.split?.();
    const split = whole === undefined ? undefined : this.pruned(whole, context);
    const pieces = split === undefined ? [] : planPieces(split.split, this.fragment.wholePartitions, this.runner.workers);
    const rows = workerRows(pieces);
    if (split === undefined || rows === 0 || rows < this.runner.minRows) {
      yield* this.local.execute(context);
      return;
    }
    this.addScanStats(context, split.skipped, 0);
    const final = new FinalAggregation(this.fragment.groupBy, this.fragment.aggregates);
    for (const partial of await this.partials(pieces, snapshot, split.split, context)) final.merge(partial);
    yield* final.batches(context.batchRows);
  }

  /** The split without the segments the scan's zone-map ranges rule out (no task is sent for them). */
  private pruned(split: SnapshotSplit, context: ExecContext): { split: SnapshotSplit; skipped: ScanStats } {
    const skipped = emptyScanStats();
    if (this.scan.filter === null) return { split, skipped };
    const ranges = rangesOf(this.scan.filter, this.scan.columns, context);
    const table = this.scan.table;
    const partitions = split.partitions.map((p) => {
      const kept = segmentsMatching(table, p.segments, ranges);
      const keep = new Set(kept);
      for (const s of p.segments) {
        if (keep.has(s)) continue;
        skipped.segments++;
        skipped.segmentsSkipped++;
        skipped.blocks += s.blockCount;
        skipped.blocksSkipped += s.blockCount;
      }
      return { segments: kept, tailRows: p.tailRows };
    });
    return { split: { ...split, partitions }, skipped };
  }

  /**
   * Every piece's partial, in piece order. At most one task per worker is in flight for this query
   * (the pool is shared by every session); the coordinator does the tails, then takes segment
   * pieces no worker has started, so a pool still starting or busy with other queries never
   * leaves it idle.
   */
  private async partials(pieces: readonly Piece[], snapshot: TableSnapshot, split: SnapshotSplit, context: ExecContext): Promise<PartialAggregate[]> {
    const cancel = new Int32Array(new SharedArrayBuffer(4));
    const stop = () => Atomics.store(cancel, 0, 1);
    context.signal.addEventListener('abort', stop, { once: true });
    const claims = new Int32Array(new SharedArrayBuffer(4 * pieces.length));
    const results: PartialAggregate[] = new Array<PartialAggregate>(pieces.length);
    const queue = pieces.flatMap((piece, i) => (piece.where === 'worker' ? [i] : []));
    let next = 0;
    let failure: unknown = null;
    const inFlight = new Set<Promise<void>>();
    const dispatch = (): void => {
      while (inFlight.size < this.runner.workers && next < queue.length && failure === null && !context.signal.aborted) {
        const i = queue[next++] as number;
        const piece = pieces[i] as Extract<Piece, { where: 'worker' }>;
        const task = this.runner
          .run({
            fragment: this.fragment,
            segmentPaths: piece.segments.map((s) => s.path),
            params: context.params,
            settings: context.settings,
            statementTimeMicros: context.statementTimeMicros,
            batchRows: context.batchRows,
            cancel,
            claims,
            piece: i,
          })
          .then((outcome) => {
            if (outcome.ok !== 'claimed') results[i] = this.accept(outcome, context);
          })
          .catch((error: unknown) => {
            failure ??= error;
            stop();
          })
          .finally(() => {
            inFlight.delete(task);
            dispatch();
          });
        inFlight.add(task);
      }
    };
    try {
      dispatch();
      for (const [i, piece] of pieces.entries()) {
        if (piece.where === 'local') results[i] = await this.localPartial(piece.partition, piece.whole ? snapshot : split.rest, context);
      }
      // Then pieces no worker has claimed: queued ones first, then those sent but still not
      // started after a grace period (a pool starting up, or busy with other queries).
      const unstarted = () => queue.find((i) => Atomics.load(claims, i) === 0);
      while (failure === null) {
        let i: number | undefined;
        if (next < queue.length) i = queue[next++] as number;
        else if (unstarted() !== undefined) {
          await untilAborted(Promise.race([...inFlight, delay(claimGraceMs)]), context.signal);
          i = unstarted();
        }
        if (i === undefined) break;
        if (Atomics.compareExchange(claims, i, 0, 2) !== 0) continue;
        const piece = pieces[i] as Extract<Piece, { where: 'worker' }>;
        results[i] = await this.localPartial(0, split.view(piece.segments), context);
        this.steals(context);
      }
      while (inFlight.size > 0) await untilAborted(Promise.race(inFlight), context.signal);
      if (failure !== null) throw failure;
      return results;
    } catch (error) {
      // No more tasks go out for a query that has failed; running ones see the flag and stop.
      failure ??= error;
      stop();
      throw error;
    } finally {
      context.signal.removeEventListener('abort', stop);
    }
  }

  /** The chain over one partition of `snapshot` (a tail, a whole partition, some segments), aggregated here. */
  private async localPartial(partition: number, snapshot: TableSnapshot, context: ExecContext): Promise<PartialAggregate> {
    const tableId = this.scan.table.id;
    const only: TableSnapshot = { table: snapshot.table, rowCount: snapshot.rowCount, partitionCount: snapshot.partitionCount, scan: (options) => snapshot.scan({ ...options, partitions: [partition] }) };
    // A profile of its own: operators overwrite their storage counters per run, pieces add up.
    const profile = context.profile === null ? null : new Map<object, OperatorProfile>();
    const scoped: ExecContext = { ...context, profile, snapshot: (id) => (id === tableId ? only : context.snapshot(id)) };
    const aggregation = new PartialAggregation(this.fragment.groupBy, this.fragment.aggregates);
    for await (const batch of run(this.local.input, scoped)) aggregation.add(batch, scoped);
    if (profile !== null) for (const [operator, entry] of profile) addProfile(context, operator, entry);
    return aggregation.result();
  }

  /** EXPLAIN ANALYZE: segment pieces the coordinator ran itself. */
  private steals(context: ExecContext): void {
    addProfile(context, this, { rows: 0, batches: 0, timeMs: 0, detail: { coordinatorPieces: 1 } });
  }

  /** A worker's outcome: its partial, or its error rebuilt as the DbError it was. */
  private accept(outcome: Exclude<TaskOutcome, { ok: 'claimed' }>, context: ExecContext): PartialAggregate {
    if (!outcome.ok) {
      const e = outcome.error;
      throw new DbError(e.code, e.message, e.fields, e.severity);
    }
    this.addScanStats(context, outcome.stats, outcome.scanRows);
    addProfile(context, this, { rows: 0, batches: 0, timeMs: 0, detail: { tasks: 1, workerMs: outcome.timeMs } });
    return outcome.partial;
  }

  /** EXPLAIN ANALYZE: the workers' storage counters join the coordinator's on the Scan line. */
  private addScanStats(context: ExecContext, stats: ScanStats, rows: number): void {
    addProfile(context, this.scan, { rows, batches: 0, timeMs: 0, detail: { ...stats } });
  }
}

function addProfile(context: ExecContext, operator: object, add: OperatorProfile): void {
  const profile = context.profile;
  if (profile === null) return;
  let entry = profile.get(operator);
  if (entry === undefined) {
    entry = { rows: 0, batches: 0, timeMs: 0, detail: {} };
    profile.set(operator, entry);
  }
  entry.rows += add.rows;
  entry.batches += add.batches;
  entry.timeMs += add.timeMs;
  for (const [key, value] of Object.entries(add.detail)) entry.detail[key] = (entry.detail[key] ?? 0) + value;
}

/** How long a task sent to the pool may wait to start before the coordinator runs it itself. */
const claimGraceMs = 20;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits for a task, or stops waiting at a cancel (the task sees the flag and ends on its own). */

