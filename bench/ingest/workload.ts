/** What every workload gets: the options, the inputs made before timing, and wire connections. */
import type pg from 'pg';
import { connectClients, endClients } from '../peers/pg-client.js';
import type { JsonLinesFile } from './json-lines.js';
import type { IngestOptions } from './options.js';
import type { RowPool } from './row-pool.js';
import { Unsupported } from './measurement.js';
import type { IngestTarget } from './targets.js';

export interface WorkloadInputs {
  /** The events as one CSV file (COPY), or null when no workload needs it. */
  readonly csvPath: string | null;
  /** The events as JSON lines (HTTP, DuckDB's read_json), or null. */
  readonly jsonLines: JsonLinesFile | null;
  readonly pool: RowPool;
}

export interface WorkloadContext {
  readonly options: IngestOptions;
  readonly inputs: WorkloadInputs;
  readonly log: (line: string) => void;
}

/** Opens `count` connections to the target, runs `work`, closes them whatever happens. */
export async function withClients<T>(target: IngestTarget, count: number, work: (clients: pg.Client[]) => Promise<T>): Promise<T> {
  if (target.wire === null) throw new Unsupported(`${target.name} has no wire protocol`);
  const clients = await connectClients(target.wire, count);
  try {
    return await work(clients);
  } finally {
    await endClients(clients);
  }
}

export function requireInput<T>(value: T | null, what: string): T {
  if (value === null) throw new Error(`${what} was not prepared`);
  return value;
}

/** Runs `workers` copies of `work` until all finish; the first failure stops the others (via `stopped`) and is thrown. */
export async function runWorkers(workers: number, work: (index: number, stopped: () => boolean) => Promise<void>): Promise<void> {
  let failed = false;
  const stopped = () => failed;
  const outcomes = await Promise.allSettled(
    Array.from({ length: workers }, (_, i) =>
      work(i, stopped).catch((error: unknown) => {
        failed = true;
        throw error;
      }),
    ),
  );
  const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failure) throw failure.reason;
}
