/**
 * PostgreSQL as a peer: a throwaway cluster tuned for analytics on this machine's size, loaded
 * by COPY from the generator's CSV with fsync off (turned back on before the queries), then
 * VACUUM ANALYZE as any user would before querying. The users table is loaded the same way.
 */
import { createReadStream } from 'node:fs';
import type pg from 'pg';
import { copyFromStdin } from '../copy-from-stdin.js';
import { createEventsTableSql, createUsersTableSql, EVENTS_COLUMNS, USERS_COLUMNS } from '../events-schema.js';
import { clusterProbe, type ResourceProbe } from '../resource-probe.js';
import type { LoadReport, Peer, PeerSettings, ResultRow } from './peer.js';
import { connectClients, endClients, queryRows } from './pg-client.js';
import { startPostgresCluster, type PostgresCluster } from './postgres-cluster.js';

/** Server settings for an analytical workload on 2 cores and 24 GiB. */
export const POSTGRES_SETTINGS: Readonly<Record<string, string>> = {
  shared_buffers: '2GB',
  work_mem: '256MB',
  maintenance_work_mem: '1GB',
  effective_cache_size: '16GB',
  max_parallel_workers_per_gather: '2',
  max_wal_size: '8GB',
  checkpoint_timeout: '30min',
  random_page_cost: '1.1',
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
};

const COPY_READ_BYTES = 1 << 20;

export class PostgresPeer implements Peer {
  readonly name = 'postgres';
  private cluster: PostgresCluster | null = null;
  private client: pg.Client | null = null;

  constructor(private readonly settings: PeerSettings) {}

  async setup(): Promise<void> {
    this.cluster = await startPostgresCluster(POSTGRES_SETTINGS);
    this.client = (await connectClients(this.cluster, 1))[0] ?? null;
    await this.connected().query(createEventsTableSql('postgres'));
    await this.connected().query(createUsersTableSql('postgres'));
  }

  resources(): ResourceProbe {
    if (this.cluster === null) throw new Error('postgres is not set up');
    return clusterProbe(this.cluster.pid);
  }

  private copyCsv(table: string, columns: readonly { name: string }[], path: string): Promise<number> {
    return copyFromStdin(
      this.connected(),
      `COPY ${table} (${columns.map((c) => c.name).join(', ')}) FROM STDIN WITH (FORMAT csv)`,
      createReadStream(path, { highWaterMark: COPY_READ_BYTES }),
    );
  }

  private connected(): pg.Client {
    if (this.client === null) throw new Error('postgres is not set up');
    return this.client;
  }

  async version(): Promise<string> {
    const rows = await queryRows(this.connected(), 'SHOW server_version');
    return `PostgreSQL ${rows[0]?.[0]}`;
  }

  async load(): Promise<LoadReport> {
    const client = this.connected();
    const started = performance.now();
    const rows = await this.copyCsv('events', EVENTS_COLUMNS, this.settings.csvPath);
    const loadMs = performance.now() - started;
    const usersStarted = performance.now();
    const usersRows = await this.copyCsv('users', USERS_COLUMNS, this.settings.usersCsvPath);
    const usersLoadMs = performance.now() - usersStarted;
    const prepared = performance.now();
    await client.query('ALTER SYSTEM SET fsync = on');
    await client.query('ALTER SYSTEM SET synchronous_commit = on');
    await client.query('SELECT pg_reload_conf()');
    await client.query('VACUUM (ANALYZE) events, users');
    await client.query('CHECKPOINT');
    return {
      rows,
      loadMs,
      usersRows,
      usersLoadMs,
      method: 'COPY CSV from file, 1 connection, fsync off',
      prepareMs: performance.now() - prepared,
      prepareWhat: 'VACUUM ANALYZE, CHECKPOINT',
    };
  }

  query(sql: string): Promise<ResultRow[]> {
    return queryRows(this.connected(), sql);
  }

  async checkpoint(): Promise<void> {
    await this.connected().query('CHECKPOINT');
  }

  async diskBytes(): Promise<number> {
    const rows = await queryRows(this.connected(), "SELECT pg_total_relation_size('events') + pg_total_relation_size('users')");
    return Number(rows[0]?.[0] ?? 0);
  }

  async close(): Promise<void> {
    if (this.client !== null) await endClients([this.client]);
    this.client = null;
    await this.cluster?.stop();
    this.cluster = null;
  }
}
