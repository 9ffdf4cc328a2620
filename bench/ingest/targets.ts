/**
 * The databases the ingest benchmark writes to, started fresh and removed after: Eventide's
 * server (dist/src/cli.js, with its HTTP listener when the build has one), a PostgreSQL 15
 * cluster with fsync and synchronous_commit on (acknowledged means durable, as on Eventide),
 * and DuckDB in process. Each workload creates its own events table in the same instance.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import { cliPath, freePort, removeDir, repoRoot, startServer, type RunningServer } from '../../test/support/server.js';
import { createEventsTableSql, type Dialect } from '../events-schema.js';
import type { PeerName } from '../peers/peer.js';
import { connectClients, endClients, queryRows, type WireTarget } from '../peers/pg-client.js';
import { POSTGRES_SETTINGS } from '../peers/postgres.js';
import { startPostgresCluster, type PostgresCluster } from '../peers/postgres-cluster.js';
import { clusterProbe, processProbe, selfProbe, type ResourceProbe } from '../resource-probe.js';

/** The query benchmark's tuning, with every durability setting at PostgreSQL's default (on). */
export const INGEST_POSTGRES_SETTINGS: Readonly<Record<string, string>> = {
  ...POSTGRES_SETTINGS,
  fsync: 'on',
  synchronous_commit: 'on',
  full_page_writes: 'on',
  // 50 loading connections plus the readers.
  max_connections: '200',
};

const HTTP_READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 30_000;

export interface IngestTarget {
  readonly name: PeerName;
  /** Where a wire-protocol client connects, or null (DuckDB runs in process). */
  readonly wire: WireTarget | null;
  /** Base URL of Eventide's HTTP listener, or null when there is none. */
  readonly httpUrl: string | null;
  /** DuckDB's connection (in process), else null. */
  readonly duckdb: DuckDBConnection | null;
  /** How its memory is counted, and its memory and CPU. */
  resources(): ResourceProbe;
  version(): Promise<string>;
  /** Creates an events table named `table` with the bench's DDL for this database. */
  createTable(table: string): Promise<void>;
  countRows(table: string): Promise<number>;
  /** False when the database's process has died (e.g. out of memory). */
  alive(): boolean;
  close(): Promise<void>;
}

export function eventsTableSql(dialect: Dialect, table: string): string {
  return createEventsTableSql(dialect).replace(/^CREATE TABLE events /, `CREATE TABLE ${table} `);
}

/** Runs one statement on a short-lived connection. */
async function wireQuery(target: WireTarget, sql: string): Promise<(string | null)[][]> {
  const [client] = await connectClients(target, 1);
  try {
    return await queryRows(client as pg.Client, sql);
  } finally {
    await endClients([client as pg.Client]);
  }
}

/** Whether the built server has an HTTP listener (`--http-port` in its usage). */
function serverHasHttp(): boolean {
  try {
    return execFileSync(process.execPath, [cliPath, '--help'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).includes('--http-port');
  } catch {
    return false;
  }
}

/** Waits until something answers HTTP at `url` (any status). */
async function waitForHttp(url: string): Promise<boolean> {
  const deadline = Date.now() + HTTP_READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return true;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return false;
}

async function wireTarget(
  name: PeerName,
  wire: WireTarget,
  dialect: Dialect,
  probe: ResourceProbe,
  httpUrl: string | null,
  alive: () => boolean,
  close: () => Promise<void>,
): Promise<IngestTarget> {
  return {
    name,
    wire,
    httpUrl,
    duckdb: null,
    resources: () => probe,
    async version() {
      const rows = await wireQuery(wire, 'SHOW server_version').catch(() => [['unknown']]);
      return `${name === 'eventide' ? 'Eventide' : 'PostgreSQL'} ${rows[0]?.[0] ?? 'unknown'}`;
    },
    async createTable(table) {
      await wireQuery(wire, eventsTableSql(dialect, table));
    },
    async countRows(table) {
      return Number((await wireQuery(wire, `SELECT count(*) FROM ${table}`))[0]?.[0] ?? 0);
    },
    alive,
    close,
  };
}

/** Eventide's server; with `profileDir`, under node --cpu-prof writing there. */
export async function startEventideTarget(profileDir: string | null = null): Promise<IngestTarget> {
  if (!existsSync(cliPath)) throw new Error(`${relative(repoRoot, cliPath)} does not exist: the server is not built (npm run build)`);
  const httpPort = serverHasHttp() ? await freePort() : null;
  const server: RunningServer = await startServer({
    timeoutMs: 60_000,
    args: httpPort === null ? [] : ['--http-port', String(httpPort)],
    nodeArgs: profileDir === null ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
  });
  const stop = async () => {
    // A server that does not exit on SIGTERM in time (e.g. after a workload timed out) is killed.
    let timer: NodeJS.Timeout | undefined;
    const stopped = await Promise.race([
      server.stop().then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), STOP_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
    if (!stopped) await server.kill();
    removeDir(server.dataDir);
  };
  let httpUrl: string | null = null;
  if (httpPort !== null) {
    httpUrl = `http://${server.host}:${httpPort}`;
    if (!(await waitForHttp(httpUrl))) httpUrl = null;
  }
  const wire = { host: server.host, port: server.port, user: 'eventide', database: 'eventide' };
  const alive = () => server.process.exitCode === null && server.process.signalCode === null;
  return wireTarget('eventide', wire, 'eventide', processProbe(server.process.pid as number), httpUrl, alive, stop);
}

export async function startPostgresTarget(): Promise<IngestTarget> {
  const cluster: PostgresCluster = await startPostgresCluster(INGEST_POSTGRES_SETTINGS);
  const alive = () => {
    try {
      process.kill(cluster.pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  return wireTarget('postgres', cluster, 'postgres', clusterProbe(cluster.pid), null, alive, () => cluster.stop());
}

export async function startDuckDbTarget(): Promise<IngestTarget> {
  // Loaded lazily: the package is a dev dependency needed only when DuckDB is compared.
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const directory = mkdtempSync(join(tmpdir(), 'eventide-duckdb-'));
  let instance: DuckDBInstance | null = null;
  let connection: DuckDBConnection | null = null;
  try {
    instance = await DuckDBInstance.create(join(directory, 'ingest.duckdb'));
    connection = await instance.connect();
    await connection.run("SET TimeZone = 'UTC'");
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }
  const duckdb = connection;
  return {
    name: 'duckdb',
    wire: null,
    httpUrl: null,
    duckdb,
    resources: () => selfProbe(),
    async version() {
      const reader = await duckdb.runAndReadAll('SELECT version()');
      return `DuckDB ${String(reader.getRows()[0]?.[0])}`;
    },
    async createTable(table) {
      await duckdb.run(eventsTableSql('duckdb', table));
    },
    async countRows(table) {
      const reader = await duckdb.runAndReadAll(`SELECT count(*) FROM ${table}`);
      return Number(reader.getRows()[0]?.[0] ?? 0);
    },
    alive: () => true,
    async close() {
      duckdb.closeSync();
      instance?.closeSync();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

export function startTarget(name: PeerName, profileDir: string | null): Promise<IngestTarget> {
  switch (name) {
    case 'eventide':
      return startEventideTarget(profileDir);
    case 'postgres':
      return startPostgresTarget();
    case 'duckdb':
      return startDuckDbTarget();
  }
}
