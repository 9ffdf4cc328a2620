/**
 * The databases an .slt file runs against. Each file gets a fresh one: a new Eventide server on an
 * empty data directory, or a new database in a shared throwaway PostgreSQL. `restart` and `kill`
 * restart the Eventide server on the same data directory; PostgreSQL is left running and only the
 * connection is opened anew, so session state resets the same way on both.
 */
import type { RunningPostgres } from './postgres.js';
import { removeDir, startServer, tempDataDir, type RunningServer } from './server.js';
import { SltConnection, type SqlSession } from './slt-connection.js';
import type { Target } from './slt-parser.js';

export interface SltTarget {
  readonly name: Target;
  readonly connection: SqlSession;
  /** Stop gracefully (SIGTERM) and start again on the same data; reconnects. */
  restart(): Promise<void>;
  /** Crash (SIGKILL) and start again on the same data; reconnects. */
  kill(): Promise<void>;
  /** What the server logged, for failure reports (empty when not ours to show). */
  log(): string;
  /** Disconnects and discards the database. */
  close(): Promise<void>;
}

const eventideUser = 'eventide';
const eventideDatabase = 'eventide';

export async function openEventideTarget(queryTimeoutMs: number): Promise<SltTarget> {
  const dataDir = tempDataDir('eventide-slt-');
  let server: RunningServer;
  try {
    server = await startServer({ dataDir });
  } catch (error) {
    removeDir(dataDir);
    throw error;
  }
  let log = '';
  const connect = () =>
    SltConnection.open({ host: server.host, port: server.port, user: eventideUser, database: eventideDatabase }, queryTimeoutMs);
  let connection = await connect();
  const cycle = async (how: 'stop' | 'kill') => {
    await connection.close();
    await server[how]();
    log += server.output();
    server = await startServer({ dataDir });
    connection = await connect();
  };
  return {
    name: 'eventide',
    get connection() {
      return connection;
    },
    restart: () => cycle('stop'),
    kill: () => cycle('kill'),
    log: () => log + server.output(),
    close: async () => {
      await connection.close();
      await server.stop();
      removeDir(dataDir);
    },
  };
}

let databaseCounter = 0;

/** A fresh database in a running PostgreSQL; it is dropped on close. */
export async function openPostgresTarget(postgres: RunningPostgres, queryTimeoutMs: number): Promise<SltTarget> {
  const admin = { host: postgres.host, port: postgres.port, user: postgres.user, database: postgres.database };
  const database = `slt_${process.pid}_${++databaseCounter}`;
  const adminConnection = await SltConnection.open(admin, queryTimeoutMs);
  try {
    await adminConnection.query(`CREATE DATABASE ${database}`);
  } finally {
    await adminConnection.close();
  }
  const connect = () => SltConnection.open({ ...admin, database }, queryTimeoutMs);
  let connection = await connect();
  const reconnect = async () => {
    await connection.close();
    connection = await connect();
  };
  return {
    name: 'postgres',
    get connection() {
      return connection;
    },
    restart: reconnect,
    kill: reconnect,
    log: () => '',
    close: async () => {
      await connection.close();
      const cleanup = await SltConnection.open(admin, queryTimeoutMs);
      try {
        await cleanup.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      } finally {
        await cleanup.close();
      }
    },
  };
}
