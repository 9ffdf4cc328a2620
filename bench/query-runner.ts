/**
 * Runs the benchmark queries on one peer: a warm-up, then timed repeats; errors are kept. For
 * single-column scans the CPU time of the peer's processes per run is measured too, so scan
 * rates can be given per core used: over enough extra runs that the kernel's 10 ms CPU clock
 * ticks do not dominate.
 */
import type { Peer, ResultRow } from './peers/peer.js';
import type { BenchQuery } from './queries.js';

export interface QueryTiming {
  readonly query: BenchQuery;
  /** Median of the timed repeats, or null when the query failed. */
  readonly medianMs: number | null;
  readonly timesMs: readonly number[];
  /** CPU ms of the peer's processes per run (all threads), for queries with `scan`; else null. */
  readonly cpuMs?: number | null;
  /** The result of the warm-up run, for comparison across peers. */
  readonly result: readonly ResultRow[] | null;
  /** `SQLSTATE: message` of a failed query. */
  readonly error: string | null;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function geometricMean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  return Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

/** CPU time is measured over at least this much of it... */
const CPU_WINDOW_MS = 500;
/** ...and at most this many runs. */
const MAX_CPU_RUNS = 50;

async function cpuMsPerRun(peer: Peer, sql: string, medianMs: number): Promise<number | null> {
  const probe = peer.resources();
  const runs = Math.min(MAX_CPU_RUNS, Math.max(1, Math.ceil(CPU_WINDOW_MS / Math.max(medianMs, 1))));
  const before = probe.cpuSeconds();
  for (let i = 0; i < runs; i++) await peer.query(sql);
  const after = probe.cpuSeconds();
  return before === null || after === null ? null : ((after - before) * 1000) / runs;
}

export async function timeQuery(peer: Peer, query: BenchQuery, repeat: number): Promise<QueryTiming> {
  let result: ResultRow[];
  try {
    result = await peer.query(query.sql);
  } catch (error) {
    return { query, medianMs: null, timesMs: [], result: null, error: describeError(error) };
  }
  const timesMs: number[] = [];
  try {
    for (let i = 0; i < repeat; i++) {
      const started = performance.now();
      await peer.query(query.sql);
      timesMs.push(performance.now() - started);
    }
  } catch (error) {
    return { query, medianMs: null, timesMs, result, error: `failed on a repeat: ${describeError(error)}` };
  }
  const medianMs = median(timesMs);
  let cpuMs: number | null = null;
  try {
    if (query.scan !== undefined) cpuMs = await cpuMsPerRun(peer, query.sql, medianMs);
  } catch (error) {
    return { query, medianMs: null, timesMs, result, error: `failed on a CPU run: ${describeError(error)}` };
  }
  return { query, medianMs, timesMs, result, error: null, cpuMs };
}

export async function timeQueries(peer: Peer, queries: readonly BenchQuery[], repeat: number, log: (line: string) => void): Promise<QueryTiming[]> {
  const timings: QueryTiming[] = [];
  for (const query of queries) {
    const timing = await timeQuery(peer, query, repeat);
    log(`${peer.name}: ${query.name}: ${timing.error ?? `${timing.medianMs?.toFixed(1)} ms`}`);
    timings.push(timing);
  }
  return timings;
}
