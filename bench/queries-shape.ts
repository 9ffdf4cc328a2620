/** Workload queries by the shape of their answer: distinct counts, percentiles, time series, top-N. */
import type { BenchQuery } from './queries.js';

const durationPercentile = (fraction: string) => `percentile_cont(${fraction}) WITHIN GROUP (ORDER BY duration_ms)`;

export const DISTINCT_QUERIES: readonly BenchQuery[] = [
  { name: 'distinct users', sql: 'SELECT count(DISTINCT user_id) FROM events', ordered: false },
  {
    name: 'daily active users',
    sql: 'SELECT event_time::date AS day, count(DISTINCT user_id) AS users FROM events GROUP BY day ORDER BY day',
    ordered: true,
  },
  {
    name: 'distinct users by country',
    sql: 'SELECT country, count(DISTINCT user_id) AS users FROM events GROUP BY country',
    ordered: false,
  },
  {
    name: 'distinct pages by device',
    sql: 'SELECT device, count(DISTINCT page) AS pages FROM events GROUP BY device',
    ordered: false,
  },
];

export const PERCENTILE_QUERIES: readonly BenchQuery[] = [
  {
    name: 'duration percentiles',
    sql: `SELECT ${durationPercentile('0.5')} AS p50, ${durationPercentile('0.95')} AS p95, ${durationPercentile('0.99')} AS p99 FROM events`,
    ordered: false,
  },
  {
    name: 'duration percentiles by device',
    sql:
      `SELECT device, ${durationPercentile('0.5')} AS p50, ${durationPercentile('0.95')} AS p95 ` +
      'FROM events WHERE NOT is_bot GROUP BY device',
    ordered: false,
  },
];

export const TIME_SERIES_QUERIES: readonly BenchQuery[] = [
  {
    name: 'events per hour',
    sql: "SELECT date_trunc('hour', event_time) AS hour, count(*) AS events FROM events GROUP BY hour ORDER BY hour",
    ordered: true,
  },
  {
    name: 'events per day, humans',
    sql: "SELECT date_trunc('day', event_time) AS day, count(*) AS events FROM events WHERE NOT is_bot GROUP BY day ORDER BY day",
    ordered: true,
  },
  {
    name: 'weekly active users',
    sql: "SELECT date_trunc('week', event_time) AS week, count(DISTINCT user_id) AS users FROM events GROUP BY week ORDER BY week",
    ordered: true,
  },
];

export const TOP_N_QUERIES: readonly BenchQuery[] = [
  {
    name: 'top 10 pages',
    sql: 'SELECT page, count(*) AS views FROM events GROUP BY page ORDER BY views DESC, page LIMIT 10',
    ordered: true,
  },
  {
    name: 'top 5 referrers',
    sql:
      'SELECT referrer, count(*) AS visits FROM events WHERE referrer IS NOT NULL ' +
      'GROUP BY referrer ORDER BY visits DESC, referrer LIMIT 5',
    ordered: true,
  },
  {
    name: 'top 10 users by events',
    sql: 'SELECT user_id, count(*) AS events FROM events GROUP BY user_id ORDER BY events DESC, user_id LIMIT 10',
    ordered: true,
  },
  {
    name: 'slowest 10 pages',
    sql:
      'SELECT page, avg(duration_ms) AS avg_ms FROM events WHERE NOT is_bot ' +
      'GROUP BY page HAVING count(*) >= 100 ORDER BY avg_ms DESC, page LIMIT 10',
    ordered: true,
  },
];
