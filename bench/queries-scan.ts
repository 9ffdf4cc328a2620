/** Workload queries that scan one table: counts, filters and breakdowns by low-cardinality keys. */
import type { BenchQuery } from './queries.js';

export const COUNT_QUERIES: readonly BenchQuery[] = [
  { name: 'count', sql: 'SELECT count(*) FROM events', ordered: false },
  { name: 'sum duration_ms', sql: 'SELECT sum(duration_ms) FROM events', ordered: false, scan: 'sum-int32' },
  { name: 'count bots', sql: 'SELECT count(*) FROM events WHERE is_bot', ordered: false, scan: 'count-true-uint8' },
  { name: 'min event_time', sql: 'SELECT min(event_time) FROM events', ordered: false, scan: 'min-float64' },
  { name: 'min/max event_time', sql: 'SELECT min(event_time), max(event_time) FROM events', ordered: false },
  {
    name: 'count in May',
    sql: "SELECT count(*) FROM events WHERE event_time BETWEEN '2024-05-01 00:00:00+00' AND '2024-05-31 23:59:59.999+00'",
    ordered: false,
  },
  { name: 'count purchases', sql: "SELECT count(*) FROM events WHERE event_type = 'purchase'", ordered: false },
  {
    name: 'count in five countries',
    sql: "SELECT count(*) FROM events WHERE country IN ('US', 'GB', 'DE', 'FR', 'CA')",
    ordered: false,
  },
  {
    name: 'product views in a week',
    sql:
      "SELECT count(*) FROM events WHERE page LIKE '/product/%' " +
      "AND event_time >= '2024-06-01 00:00:00+00' AND event_time < '2024-06-08 00:00:00+00'",
    ordered: false,
  },
  {
    name: 'human mobile Android purchases',
    sql:
      'SELECT count(*), sum(revenue) FROM events ' +
      "WHERE device = 'mobile' AND os = 'Android' AND event_type = 'purchase' AND NOT is_bot",
    ordered: false,
  },
];

export const BREAKDOWN_QUERIES: readonly BenchQuery[] = [
  { name: 'count by device', sql: 'SELECT device, count(*) FROM events GROUP BY device', ordered: false, scan: 'count-codes-uint8' },
  { name: 'count by event_type', sql: 'SELECT event_type, count(*) FROM events GROUP BY event_type', ordered: false },
  { name: 'revenue by country', sql: 'SELECT country, sum(revenue) FROM events GROUP BY country', ordered: false },
  {
    name: 'avg duration by device, no bots',
    sql: 'SELECT device, avg(duration_ms) FROM events WHERE is_bot = false GROUP BY device',
    ordered: false,
  },
  { name: 'count by os and browser', sql: 'SELECT os, browser, count(*) FROM events GROUP BY os, browser', ordered: false },
  {
    name: 'count by country and device',
    sql: 'SELECT country, device, count(*) AS events FROM events GROUP BY country, device ORDER BY country, device',
    ordered: true,
  },
  {
    name: 'funnel events by day',
    sql:
      "SELECT event_time::date AS day, event_type, count(*) AS events FROM events WHERE event_type IN ('view_item', 'add_to_cart', 'purchase') " +
      'GROUP BY day, event_type ORDER BY day, event_type',
    ordered: true,
  },
];
