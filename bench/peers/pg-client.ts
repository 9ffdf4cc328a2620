/** node-postgres clients for the peers that speak the wire protocol: every value as text. */
import pg from 'pg';
import type { ResultRow } from './peer.js';

/** Keeps PostgreSQL's text form of every type, so results compare across peers. */
const rawText = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

export interface WireTarget {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
}

export async function connectClients(target: WireTarget, count: number): Promise<pg.Client[]> {
  const clients: pg.Client[] = [];
  for (let i = 0; i < count; i++) {
    const client = new pg.Client({ ...target, types: rawText, application_name: 'eventide-bench' });
    // A server that dies mid-run surfaces as a failed query, not an unhandled error event.
    client.on('error', () => undefined);
    await client.connect();
    clients.push(client);
  }
  return clients;
}

export async function queryRows(client: pg.Client, sql: string): Promise<ResultRow[]> {
  const result = await client.query<ResultRow>({ text: sql, rowMode: 'array' });
  return result.rows;
}

export async function endClients(clients: readonly pg.Client[]): Promise<void> {
  await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
}
