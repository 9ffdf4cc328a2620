/**
 * The aggregate queries of the first benchmark: the core SQL a product dashboard sends. Same
 * text for every peer. Queries without ORDER BY are compared as sorted row sets.
 */

export interface BenchQuery {
  readonly name: string;
  readonly sql: string;
  /** The result order is part of the answer (ORDER BY). */
  readonly ordered: boolean;
}

export const BENCH_QUERIES: readonly BenchQuery[] = [
  { name: 'count', sql: 'SELECT count(*) FROM events', ordered: false },
  {
    name: 'count by event_type',
    sql: 'SELECT event_type, count(*) FROM events GROUP BY event_type',
    ordered: false,
  },
  {
    name: 'revenue by country',
    sql: 'SELECT country, sum(revenue) FROM events GROUP BY country',
    ordered: false,
  },
  {
    name: 'avg duration by device, no bots',
    sql: 'SELECT device, avg(duration_ms) FROM events WHERE is_bot = false GROUP BY device',
    ordered: false,
  },
  { name: 'min/max event_time', sql: 'SELECT min(event_time), max(event_time) FROM events', ordered: false },
  {
    name: 'count in May',
    sql: "SELECT count(*) FROM events WHERE event_time BETWEEN '2024-05-01 00:00:00+00' AND '2024-05-31 23:59:59.999+00'",
    ordered: false,
  },
  {
    name: 'top 10 pages',
    sql: 'SELECT page, count(*) AS views FROM events GROUP BY page ORDER BY views DESC, page LIMIT 10',
    ordered: true,
  },
  { name: 'distinct users', sql: 'SELECT count(DISTINCT user_id) FROM events', ordered: false },
];
