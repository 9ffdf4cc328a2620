/**
 * DuckDB as a peer, in process through @duckdb/node-api: a database file in a temporary
 * directory (so its on-disk size is real), loaded by COPY from the generator's CSV files.
 * Values are read back through DuckDB's own text form of each type.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { diskUsageBytes } from '../disk-usage.js';
import { createEventsTableSql, createUsersTableSql, EVENTS_COLUMNS, USERS_COLUMNS } from '../events-schema.js';
import { selfProbe, type ResourceProbe } from '../resource-probe.js';
import type { LoadReport, Peer, PeerSettings, ResultRow } from './peer.js';

export class DuckDbPeer implements Peer {
  readonly name = 'duckdb';
  private directory: string | null = null;
  private instance: DuckDBInstance | null = null;
  private connection: DuckDBConnection | null = null;

  constructor(private readonly settings: PeerSettings) {}

  async setup(): Promise<void> {
    // Loaded lazily: the package is a dev dependency needed only when DuckDB is compared.
    const { DuckDBInstance } = await import('@duckdb/node-api');
    this.directory = mkdtempSync(join(tmpdir(), 'eventide-duckdb-'));
    this.instance = await DuckDBInstance.create(join(this.directory, 'bench.duckdb'));
    this.connection = await this.instance.connect();
    await this.connection.run("SET TimeZone = 'UTC'");
    await this.connection.run(createEventsTableSql('duckdb'));
    await this.connection.run(createUsersTableSql('duckdb'));
  }

  resources(): ResourceProbe {
    return selfProbe();
  }

  /** COPY of a CSV file; the rows copied. */
  private async copyCsv(table: string, columns: readonly { name: string }[], path: string): Promise<number> {
    const reader = await this.connected().runAndReadAll(
      `COPY ${table} (${columns.map((c) => c.name).join(', ')}) FROM '${path.replaceAll("'", "''")}' ` +
        `(FORMAT csv, HEADER false, DELIMITER ',', QUOTE '"', ESCAPE '"', NULL '', AUTO_DETECT false)`,
    );
    return Number(reader.getRows()[0]?.[0] ?? 0);
  }

  private connected(): DuckDBConnection {
    if (this.connection === null) throw new Error('duckdb is not set up');
    return this.connection;
  }

  async version(): Promise<string> {
    const rows = await this.query('SELECT version()');
    return `DuckDB ${rows[0]?.[0]}`;
  }

  async load(): Promise<LoadReport> {
    const started = performance.now();
    const rows = await this.copyCsv('events', EVENTS_COLUMNS, this.settings.csvPath);
    const loadMs = performance.now() - started;
    const usersStarted = performance.now();
    const usersRows = await this.copyCsv('users', USERS_COLUMNS, this.settings.usersCsvPath);
    const usersLoadMs = performance.now() - usersStarted;
    const prepared = performance.now();
    await this.connected().run('CHECKPOINT');
    return {
      rows,
      loadMs,
      usersRows,
      usersLoadMs,
      method: 'COPY CSV from file, in process',
      prepareMs: performance.now() - prepared,
      prepareWhat: 'CHECKPOINT',
    };
  }

  async query(sql: string): Promise<ResultRow[]> {
    const reader = await this.connected().runAndReadAll(sql);
    return reader.getRows().map((row) => row.map((value) => (value === null ? null : String(value))));
  }

  async checkpoint(): Promise<void> {
    await this.connected().run('CHECKPOINT');
  }

  async diskBytes(): Promise<number> {
    return this.directory === null ? 0 : diskUsageBytes(this.directory);
  }

  async close(): Promise<void> {
    this.connection?.closeSync();
    this.instance?.closeSync();
    this.connection = null;
    this.instance = null;
    if (this.directory !== null) rmSync(this.directory, { recursive: true, force: true });
    this.directory = null;
  }
}
