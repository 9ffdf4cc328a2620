/**
 * The worker threads that run plan fragments (planner/parallel): one piscina pool per server,
 * started at the first parallel query and destroyed when the engine closes.
 */
import { Piscina } from 'piscina';
import type { AggregateTask, TaskOutcome } from '../../planner/parallel/fragment.js';
import type { FragmentRunner, WorkerSetup } from '../../planner/parallel/runner.js';
import { workerEntryUrl } from '../../planner/parallel/worker-entry.js';
import { toDbError } from '../../storage/errors.js';

export class WorkerPool implements FragmentRunner {
  private pool: Piscina<AggregateTask, TaskOutcome> | null = null;

  constructor(
    readonly workers: number,
    readonly minRows: number,
  ) {}

  async run(task: AggregateTask): Promise<TaskOutcome> {
    try {
      return await this.started().run(task);
    } catch (error) {
      // A worker that died (out of memory, a crash) fails only the query that used it.
      const e = toDbError(error);
      return { ok: false, error: { code: e.code, message: e.message, severity: e.severity, fields: { ...e.fields } } };
    }
  }

  private started(): Piscina<AggregateTask, TaskOutcome> {
    if (this.pool === null) {
      const setup: WorkerSetup = { functionsModule: new URL('../functions/registry.js', import.meta.url).href, functionsExport: 'builtinFunctions' };
      // Threads stay up: their cached segment footers are what makes the next query cheap.
      this.pool = new Piscina({ filename: workerEntryUrl.href, minThreads: this.workers, maxThreads: this.workers, idleTimeout: Infinity, workerData: setup });
    }
    return this.pool;
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.destroy();
  }
}
