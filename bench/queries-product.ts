/**
 * Workload queries of product analytics proper: joins with users, funnels, retention cohorts,
 * sessions, properties (jsonb) and revenue. Written in portable SQL (no window functions over
 * events, no engine-specific funnel functions) so every peer runs the same text.
 */
import type { BenchQuery } from './queries.js';

const JOIN_USERS = 'FROM events e JOIN users u ON u.user_id = e.user_id';

export const JOIN_QUERIES: readonly BenchQuery[] = [
  { name: 'events per plan', sql: `SELECT u.plan, count(*) AS events ${JOIN_USERS} GROUP BY u.plan`, ordered: false },
  {
    name: 'revenue per signup month',
    sql:
      `SELECT date_trunc('month', u.signup_date)::date AS signup_month, count(*) AS purchases, sum(e.revenue) AS revenue ` +
      `${JOIN_USERS} WHERE e.event_type = 'purchase' GROUP BY signup_month ORDER BY signup_month`,
    ordered: true,
  },
  {
    name: 'active users by plan in June',
    sql:
      `SELECT u.plan, count(DISTINCT e.user_id) AS users ${JOIN_USERS} ` +
      "WHERE e.event_time >= '2024-06-01 00:00:00+00' GROUP BY u.plan",
    ordered: false,
  },
  {
    name: 'events away from home country',
    sql: `SELECT u.country, count(*) AS events ${JOIN_USERS} WHERE e.country <> u.country GROUP BY u.country`,
    ordered: false,
  },
];

export const FUNNEL_QUERIES: readonly BenchQuery[] = [
  {
    name: 'funnel users per step',
    sql:
      "SELECT count(DISTINCT CASE WHEN event_type = 'view_item' THEN user_id END) AS viewed, " +
      "count(DISTINCT CASE WHEN event_type = 'add_to_cart' THEN user_id END) AS carted, " +
      "count(DISTINCT CASE WHEN event_type = 'purchase' THEN user_id END) AS purchased FROM events",
    ordered: false,
  },
  {
    name: 'ordered funnel by first step time',
    sql:
      'WITH steps AS (SELECT user_id, ' +
      "min(CASE WHEN event_type = 'view_item' THEN event_time END) AS viewed_at, " +
      "min(CASE WHEN event_type = 'add_to_cart' THEN event_time END) AS carted_at, " +
      "min(CASE WHEN event_type = 'purchase' THEN event_time END) AS purchased_at " +
      'FROM events GROUP BY user_id) ' +
      'SELECT count(viewed_at) AS viewed, ' +
      'count(CASE WHEN carted_at >= viewed_at THEN 1 END) AS carted, ' +
      'count(CASE WHEN carted_at >= viewed_at AND purchased_at >= carted_at THEN 1 END) AS purchased FROM steps',
    ordered: false,
  },
];

export const RETENTION_QUERIES: readonly BenchQuery[] = [
  {
    name: 'weekly retention by cohort',
    sql:
      "WITH first_seen AS (SELECT user_id, date_trunc('week', min(event_time))::date AS cohort FROM events GROUP BY user_id), " +
      "active AS (SELECT DISTINCT user_id, date_trunc('week', event_time)::date AS week FROM events) " +
      'SELECT f.cohort, (a.week - f.cohort) / 7 AS weeks_later, count(*) AS users ' +
      'FROM first_seen f JOIN active a ON a.user_id = f.user_id ' +
      'GROUP BY f.cohort, weeks_later ORDER BY f.cohort, weeks_later',
    ordered: true,
  },
  {
    name: 'users back the next week',
    sql:
      "WITH weeks AS (SELECT DISTINCT user_id, date_trunc('week', event_time)::date AS week FROM events) " +
      'SELECT w.week, count(*) AS active, count(n.user_id) AS back_next_week ' +
      'FROM weeks w LEFT JOIN weeks n ON n.user_id = w.user_id AND n.week = w.week + 7 ' +
      'GROUP BY w.week ORDER BY w.week',
    ordered: true,
  },
];

export const SESSION_QUERIES: readonly BenchQuery[] = [
  {
    name: 'avg events per session',
    sql: 'SELECT round(avg(events), 2) FROM (SELECT session_id, count(*) AS events FROM events GROUP BY session_id) s',
    ordered: false,
  },
  {
    name: 'sessions per day',
    sql: 'SELECT event_time::date AS day, count(DISTINCT session_id) AS sessions FROM events GROUP BY day ORDER BY day',
    ordered: true,
  },
  {
    name: 'bounced sessions',
    sql: 'SELECT count(*) FROM (SELECT session_id FROM events GROUP BY session_id HAVING count(*) = 1) s',
    ordered: false,
  },
];

export const PROPERTY_QUERIES: readonly BenchQuery[] = [
  { name: 'pro plan events', sql: "SELECT count(*) FROM events WHERE properties->>'plan' = 'pro'", ordered: false },
  {
    name: 'ab_group breakdown',
    sql:
      "SELECT properties->>'ab_group' AS ab_group, count(*) AS events, " +
      "sum(CASE WHEN event_type = 'purchase' THEN 1 ELSE 0 END) AS purchases FROM events GROUP BY ab_group",
    ordered: false,
  },
  {
    name: 'top 10 items by revenue',
    sql:
      "SELECT properties->>'item_id' AS item, count(*) AS purchases, sum(revenue) AS revenue FROM events " +
      "WHERE event_type = 'purchase' GROUP BY item ORDER BY revenue DESC, item LIMIT 10",
    ordered: true,
  },
];

export const REVENUE_QUERIES: readonly BenchQuery[] = [
  {
    name: 'revenue totals',
    sql: 'SELECT sum(revenue) AS revenue, round(avg(revenue), 2) AS avg_order, count(revenue) AS orders FROM events',
    ordered: false,
  },
  {
    name: 'revenue per day',
    sql: "SELECT event_time::date AS day, sum(revenue) AS revenue FROM events WHERE event_type = 'purchase' GROUP BY day ORDER BY day",
    ordered: true,
  },
  {
    name: 'avg order by device and plan',
    sql:
      "SELECT e.device, u.plan, round(avg(e.revenue), 2) AS avg_order " +
      `${JOIN_USERS} WHERE e.event_type = 'purchase' GROUP BY e.device, u.plan`,
    ordered: false,
  },
];
