/**
 * The planner defines how fragments reach worker threads; the SQL layer implements it with a
 * piscina pool (src/sql/worker-pool.ts) and installs it once per server process.
 */
import type { AggregateTask, TaskOutcome } from './fragment.js';

export interface FragmentRunner {
  /** Threads in the pool (> 0 when installed). */
  readonly workers: number;
  /** Segment rows below which a query runs on the coordinator alone (thread hops cost more). */
  readonly minRows: number;
  /** Runs one task in some worker; never rejects (failures come back as outcomes). */
  run(task: AggregateTask): Promise<TaskOutcome>;
}

/** What the pool hands every worker: where the function catalog lives (the SQL layer implements it). */
export interface WorkerSetup {
  /** URL of the module exporting the FunctionRegistry, and the export's name. */
  readonly functionsModule: string;
  readonly functionsExport: string;
}

let installed: FragmentRunner | null = null;

/** The process's pool, or null when queries run on the main thread only (workers = 0). */
export function fragmentRunner(): FragmentRunner | null {
  return installed;
}

export function installFragmentRunner(runner: FragmentRunner | null): void {
  installed = runner;
}
