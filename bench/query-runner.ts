/** Runs the benchmark queries on one peer: a warm-up, then timed repeats; errors are kept. */
import type { Peer, ResultRow } from './peers/peer.js';
import type { BenchQuery } from './queries.js';

export interface QueryTiming {
  readonly query: BenchQuery;
  /** Median of the timed repeats, or null when the query failed. */
  readonly medianMs: number | null;
  readonly timesMs: readonly number[];
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
  return { query, medianMs: median(timesMs), timesMs, result, error: null };
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
