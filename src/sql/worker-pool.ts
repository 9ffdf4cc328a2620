/**
 * The worker threads that run plan fragments (planner/parallel): one piscina pool per server,
 * started at the first parallel query and destroyed when the engine closes.
 */
import { Piscina } from 'piscina';
import type { AggregateTask, TaskOutcome } from '../../planner/parallel/fragment.js';
import type { FragmentRunner, WorkerSetup } from '../../planner/parallel/runner.js';
import { blockCache } from '../../storage/block-cache.js';
import { workerEntryUrl } from '../../planner/parallel/worker-entry.js';
import { toDbError } from '../../storage/errors.js';

/**
 * One single-thread piscina pool per worker, and a segment's tasks always go to the same one: each
 * thread has its own decoded-block cache, so a repeated query finds its blocks where it left them.
 */
export class WorkerPool implements FragmentRunner {
  private pools: Piscina<AggregateTask, TaskOutcome>[] | null = null;

  constructor(
    readonly workers: number,
    readonly minRows: number,
  ) {}

  async run(task: AggregateTask): Promise<TaskOutcome> {
    try {
      const pools = this.started();
      return await (pools[affinity(task.segmentPaths[0] ?? '', pools.length)] as Piscina<AggregateTask, TaskOutcome>).run(task);
    } catch (error) {
      // A worker that died (out of memory, a crash) fails only the query that used it.
      const e = toDbError(error);
      return { ok: false, error: { code: e.code, message: e.message, severity: e.severity, fields: { ...e.fields } } };
    }
  }

  private started(): Piscina<AggregateTask, TaskOutcome>[] {
    if (this.pools === null) {
      // The cache budget is shared: the main thread and each worker get an equal part.
      const share = Math.floor(blockCache.capacity / (this.workers + 1));
      blockCache.resize(share);
      const setup: WorkerSetup = { functionsModule: new URL('../functions/registry.js', import.meta.url).href, functionsExport: 'builtinFunctions', blockCacheBytes: share };
      // Threads stay up: their cached segment footers are what makes the next query cheap.
      this.pools = Array.from(
        { length: this.workers },
        () => new Piscina<AggregateTask, TaskOutcome>({ filename: workerEntryUrl.href, minThreads: 1, maxThreads: 1, idleTimeout: Infinity, workerData: setup }),
      );
    }
    return this.pools;
  }

  async close(): Promise<void> {
    const pools = this.pools ?? [];
    this.pools = null;
    await Promise.all(pools.map((p) => p.destroy()));
  }
}

/** A stable thread for a segment path (FNV-1a of the text). */
function affinity(path: string, threads: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) h = Math.imul(h ^ path.charCodeAt(i), 0x01000193);
  return (h >>> 0) % threads;
}
