/**
 * The `events` and `users` tables of the benchmark: columns in generator output order and the
 * CREATE TABLE statement each peer gets. Eventide partitions by user and sorts by time;
 * PostgreSQL and DuckDB get a plain table, as their users would create it for analytics.
 */
import { Types, withTypmod, type DataType } from '../storage/types.js';

export interface BenchColumn {
  readonly name: string;
  /** PostgreSQL / Eventide type in DDL. */
  readonly sqlType: string;
  /** DuckDB type in DDL. */
  readonly duckdbType: string;
  /** Eventide's DataType, for the Batch adapter. */
  readonly type: DataType;
  readonly notNull: boolean;
}

/** numeric(12,2): typmod ((12 << 16) | 2) + 4, as PostgreSQL encodes it. */
const NUMERIC_12_2 = withTypmod(Types.numeric, ((12 << 16) | 2) + 4);

function column(name: string, sqlType: string, duckdbType: string, type: DataType, notNull = false): BenchColumn {
  return { name, sqlType, duckdbType, type, notNull };
}

export const EVENTS_COLUMNS: readonly BenchColumn[] = [
  column('event_time', 'timestamptz', 'TIMESTAMPTZ', Types.timestamptz, true),
  column('user_id', 'bigint', 'BIGINT', Types.int8, true),
  column('session_id', 'text', 'VARCHAR', Types.text),
  column('event_type', 'text', 'VARCHAR', Types.text, true),
  column('page', 'text', 'VARCHAR', Types.text),
  column('referrer', 'text', 'VARCHAR', Types.text),
  column('country', 'text', 'VARCHAR', Types.text),
  column('device', 'text', 'VARCHAR', Types.text),
  column('os', 'text', 'VARCHAR', Types.text),
  column('browser', 'text', 'VARCHAR', Types.text),
  column('is_bot', 'bool', 'BOOLEAN', Types.bool),
  column('revenue', 'numeric(12, 2)', 'DECIMAL(12, 2)', NUMERIC_12_2),
  column('duration_ms', 'int', 'INTEGER', Types.int4),
  column('properties', 'jsonb', 'JSON', Types.jsonb),
];

export const USERS_COLUMNS: readonly BenchColumn[] = [
  column('user_id', 'bigint', 'BIGINT', Types.int8, true),
  column('signup_date', 'date', 'DATE', Types.date, true),
  column('plan', 'text', 'VARCHAR', Types.text, true),
  column('country', 'text', 'VARCHAR', Types.text),
];

export type Dialect = 'eventide' | 'postgres' | 'duckdb';

function columnList(columns: readonly BenchColumn[], dialect: Dialect): string {
  return columns
    .map((c) => `  ${c.name} ${dialect === 'duckdb' ? c.duckdbType : c.sqlType}${c.notNull ? ' NOT NULL' : ''}`)
    .join(',\n');
}

export interface EventsTableLayout {
  /** Hash partitions of Eventide's table. */
  readonly partitions: number;
}

export function createEventsTableSql(dialect: Dialect, layout: EventsTableLayout = { partitions: 8 }): string {
  const body = `CREATE TABLE events (\n${columnList(EVENTS_COLUMNS, dialect)}\n)`;
  if (dialect !== 'eventide') return body;
  return `${body} PARTITION BY HASH (user_id) WITH (partitions = ${layout.partitions}, sort_key = 'event_time')`;
}

export function createUsersTableSql(dialect: Dialect): string {
  return `CREATE TABLE users (\n${columnList(USERS_COLUMNS, dialect)}\n)`;
}
