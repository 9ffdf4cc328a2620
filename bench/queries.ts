/**
 * The benchmark workload: the SQL product analysts send, over `events` and `users`. The same
 * text runs on every peer, so it keeps to what PostgreSQL 15 and DuckDB both accept with the same
 * answer: ORDER BY with full tie-breaks under LIMIT, rounded averages, `->>` on properties
 * (jsonb on PostgreSQL and Eventide, JSON on DuckDB). Queries without ORDER BY are compared as
 * sorted row sets. Split by topic into queries-*.ts.
 */
import { BREAKDOWN_QUERIES, COUNT_QUERIES } from './queries-scan.js';
import { DISTINCT_QUERIES, PERCENTILE_QUERIES, TIME_SERIES_QUERIES, TOP_N_QUERIES } from './queries-shape.js';
import { FUNNEL_QUERIES, JOIN_QUERIES, PROPERTY_QUERIES, RETENTION_QUERIES, REVENUE_QUERIES, SESSION_QUERIES } from './queries-product.js';

/** A plain typed-array loop that does the work of a single-column query: its speed ceiling. */
export type ScanKernel = 'sum-int32' | 'count-true-uint8' | 'min-float64' | 'count-codes-uint8';

export interface BenchQuery {
  readonly name: string;
  readonly sql: string;
  /** The result order is part of the answer (ORDER BY). */
  readonly ordered: boolean;
  /** Set on single-column scans: reported next to the typed-array loop of the same work. */
  readonly scan?: ScanKernel;
}

export const BENCH_QUERIES: readonly BenchQuery[] = [
  ...COUNT_QUERIES,
  ...BREAKDOWN_QUERIES,
  ...DISTINCT_QUERIES,
  ...PERCENTILE_QUERIES,
  ...TIME_SERIES_QUERIES,
  ...TOP_N_QUERIES,
  ...JOIN_QUERIES,
  ...FUNNEL_QUERIES,
  ...RETENTION_QUERIES,
  ...SESSION_QUERIES,
  ...PROPERTY_QUERIES,
  ...REVENUE_QUERIES,
];
