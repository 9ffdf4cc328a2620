/**
 * The entry of each worker thread: runs one AggregateTask (a group of one partition's segments)
 * through the same physical operators as the coordinator, over a snapshot of just those segments,
 * and returns the partial aggregate with its typed arrays transferred, not copied.
 */
import { move, transferableSymbol, valueSymbol, workerData } from 'piscina';
import { DbError, toDbError } from '../../storage/errors.js';
import { realFileSystem } from '../../storage/file-system.js';
import { Segment } from '../../storage/segment-reader.js';
import { SnapshotView } from '../../storage/snapshot.js';
import type { ColumnDef } from '../../storage/table-def.js';
import { PartitionTail } from '../../storage/tail.js';
import type { FunctionRegistry } from '../functions.js';
import { buildOperator } from '../physical/build.js';
import type { ExecContext, OperatorProfile } from '../physical/context.js';
import { run } from '../physical/operator.js';
import { scanUnder, type AggregateTask, type TaskOutcome } from './fragment.js';
import type { WorkerSetup } from './runner.js';
import { PartialAggregation, partialBuffers } from './partial-aggregation.js';

let functions: Promise<FunctionRegistry> | null = null;

function loadFunctions(): Promise<FunctionRegistry> {
  const setup = workerData as WorkerSetup;
  functions ??= import(setup.functionsModule).then((module: Record<string, unknown>) => module[setup.functionsExport] as FunctionRegistry);
  return functions;
}

/** Segments are immutable and their paths never reused: each footer is read once per worker. */
const segments = new Map<string, Promise<Segment>>();
const maxCachedSegments = 16_384;

function loadSegment(path: string, columns: readonly ColumnDef[]): Promise<Segment> {
  let segment = segments.get(path);
  if (segment === undefined) {
    if (segments.size >= maxCachedSegments) segments.clear();
    segment = Segment.load(realFileSystem, path, columns);
    segments.set(path, segment);
    segment.catch(() => segments.delete(path));
  }
  return segment;
}

/** How often a running task looks at the coordinator's cancel flag. */
const cancelPollMs = 5;

export default async function runAggregateTask(task: AggregateTask): Promise<unknown> {
  const controller = new AbortController();
  const poll = setInterval(() => {
    if (Atomics.load(task.cancel, 0) !== 0) controller.abort();
  }, cancelPollMs);
  try {
    if (Atomics.compareExchange(task.claims, task.piece, 0, 1) !== 0) return { ok: 'claimed' } satisfies TaskOutcome;
    const outcome = await aggregate(task, controller.signal);
    return move({ [transferableSymbol]: partialBuffers(outcome.partial), [valueSymbol]: outcome });
  } catch (error) {
    const e = toDbError(error);
    const outcome: TaskOutcome = { ok: false, error: { code: e.code, message: e.message, severity: e.severity, fields: { ...e.fields } } };
    return outcome;
  } finally {
    clearInterval(poll);
  }
}

async function aggregate(task: AggregateTask, signal: AbortSignal): Promise<Extract<TaskOutcome, { ok: true }>> {
  const start = performance.now();
  if (Atomics.load(task.cancel, 0) !== 0) throw new DbError('57014', 'canceling statement due to user request');
  const fragment = task.fragment;
  const scan = scanUnder(fragment.input);
  if (scan === null) throw new DbError('XX000', 'internal error: parallel fragment without a scan');
  const table = scan.table;
  const loaded = await Promise.all(task.segmentPaths.map((path) => loadSegment(path, table.columns)));
  const view = new SnapshotView(table, realFileSystem, [{ segments: loaded, tail: new PartitionTail(table.columns.map((c) => c.type)), tailRows: 0 }]);
  const profile = new Map<object, OperatorProfile>();
  const context: ExecContext = {
    params: task.params,
    settings: task.settings,
    functions: await loadFunctions(),
    statementTimeMicros: task.statementTimeMicros,
    subqueryResults: [],
    signal,
    batchRows: task.batchRows,
    profile,
    snapshot: () => view,
    insert: () => Promise.reject(new DbError('XX000', 'internal error: insert in a worker')),
  };
  const input = buildOperator(fragment.input);
  const aggregation = new PartialAggregation(fragment.groupBy, fragment.aggregates);
  for await (const batch of run(input, context)) aggregation.add(batch, context);
  // The scan is the one operator whose profile carries storage counters.
  const scanProfile = [...profile.values()].find((p) => 'segments' in p.detail);
  const d = scanProfile?.detail ?? {};
  const stats = {
    segments: d.segments ?? 0,
    segmentsSkipped: d.segmentsSkipped ?? 0,
    blocks: d.blocks ?? 0,
    blocksSkipped: d.blocksSkipped ?? 0,
    tailRows: d.tailRows ?? 0,
    rowsRead: d.rowsRead ?? 0,
  };
  const partial = aggregation.result();
  return { ok: true, partial, stats, scanRows: scanProfile?.rows ?? 0, timeMs: performance.now() - start };
}
