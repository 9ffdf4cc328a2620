/**
 * The server the client tests talk to: Eventide (the default), or a throwaway PostgreSQL 15 when
 * E2E_TARGET=postgres, which checks that the tests' expectations are PostgreSQL's own behaviour.
 * Only the DDL differs between the two: Eventide's hash partitioning clause is its own.
 */
import { clientConfig, startServer } from '../support/server.js';
import { startPostgres } from './clients-postgres.js';

export type TargetKind = 'eventide' | 'postgres';

export const targetKind: TargetKind = process.env.E2E_TARGET === 'postgres' ? 'postgres' : 'eventide';

export interface Target {
  readonly kind: TargetKind;
  readonly host: string;
  readonly port: number;
  /** node-postgres settings for a connection to this target. */
  readonly config: { host: string; port: number; user: string; database: string };
  stop(): Promise<void>;
}

export async function startTarget(): Promise<Target> {
  if (targetKind === 'postgres') {
    const postgres = await startPostgres();
    const config = { host: postgres.host, port: postgres.port, user: 'eventide', database: 'eventide' };
    return { kind: 'postgres', host: postgres.host, port: postgres.port, config, stop: () => postgres.stop() };
  }
  const server = await startServer();
  return { kind: 'eventide', host: server.host, port: server.port, config: clientConfig(server), stop: () => server.stop() };
}

/** The product-analytics events table of the design. */
export const eventsColumns =
  'event_id bigint, event_time timestamptz NOT NULL, user_id bigint NOT NULL, session_id text, event_type text NOT NULL, ' +
  'page text, country text, device text, revenue numeric(12,2), duration_ms int, properties jsonb';

/** CREATE TABLE for the events table, hash partitioned by user_id where the target has that clause. */
export function eventsTableDdl(kind: TargetKind, name = 'events', partitions = 4): string {
  const plain = `CREATE TABLE ${name} (${eventsColumns})`;
  if (kind === 'postgres') return plain;
  return `${plain} PARTITION BY HASH (user_id) WITH (partitions = ${partitions}, sort_key = 'event_time')`;
}
