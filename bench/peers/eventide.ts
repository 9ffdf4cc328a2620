/**
 * Eventide under test: the real server (dist/src/cli.js) as a child process on a free loopback
 * port with a fresh data directory, loaded over the wire from concurrent connections (events,
 * then users, both with multi-row INSERTs).
 */
import type pg from 'pg';
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { cliPath, removeDir, repoRoot, startServer, type RunningServer } from '../../test/support/server.js';
import { diskUsageBytes } from '../disk-usage.js';
import { EventsGenerator } from '../events-generator.js';
import { createEventsTableSql, createUsersTableSql } from '../events-schema.js';
import { processProbe, type ResourceProbe } from '../resource-probe.js';
import { loadUsersOverWire } from '../users-loader.js';
import { UsersGenerator } from '../users-generator.js';
import { loadEventsOverWire } from '../wire-loader.js';
import type { LoadReport, Peer, PeerSettings, ResultRow } from './peer.js';
import { connectClients, endClients, queryRows } from './pg-client.js';

const PROGRESS_INTERVAL_MS = 10_000;

export class EventidePeer implements Peer {
  readonly name = 'eventide';
  private server: RunningServer | null = null;
  private clients: pg.Client[] = [];

  constructor(private readonly settings: PeerSettings) {}

  async setup(): Promise<void> {
    if (!existsSync(cliPath)) throw new Error(`${relative(repoRoot, cliPath)} does not exist: the server is not built (npm run build)`);
    this.server = await startServer({ timeoutMs: 60_000 });
    this.clients = await connectClients(
      { host: this.server.host, port: this.server.port, user: 'eventide', database: 'eventide' },
      this.settings.connections,
    );
    await this.first().query(createEventsTableSql('eventide', { partitions: this.settings.partitions }));
    await this.first().query(createUsersTableSql('eventide'));
  }

  resources(): ResourceProbe {
    const pid = this.server?.process.pid;
    if (pid === undefined) throw new Error('eventide is not set up');
    return processProbe(pid);
  }

  private first(): pg.Client {
    const client = this.clients[0];
    if (client === undefined) throw new Error('eventide is not set up');
    return client;
  }

  async version(): Promise<string> {
    const rows = await queryRows(this.first(), 'SHOW server_version').catch(() => [['unknown']]);
    return `Eventide ${rows[0]?.[0] ?? 'unknown'}`;
  }

  async load(): Promise<LoadReport> {
    const { rows, seed, loadMethod, connections, batchRows, log } = this.settings;
    let lastLog = performance.now();
    // Chunks a multiple of the batch keep every INSERT at batchRows rows (the stream is the
    // same whatever the chunk size).
    const generator = new EventsGenerator({ rows, seed, chunkRows: batchRows * 64 });
    const result = await loadEventsOverWire(this.clients, generator, {
      method: loadMethod,
      connections,
      batchRows,
      onProgress: (done) => {
        if (performance.now() - lastLog < PROGRESS_INTERVAL_MS) return;
        lastLog = performance.now();
        log(`eventide: ${done.toLocaleString('en-US')} rows loaded`);
      },
    });
    const users = await loadUsersOverWire(this.clients, new UsersGenerator({ rows, seed }), batchRows);
    const method =
      loadMethod === 'insert'
        ? `INSERT of ${batchRows.toLocaleString('en-US')} rows (prepared, text), ${connections} connections`
        : `COPY CSV, ${connections} connections`;
    return {
      rows: result.rows,
      loadMs: result.elapsedMs,
      usersRows: users.rows,
      usersLoadMs: users.elapsedMs,
      method,
      prepareMs: 0,
      prepareWhat: '',
    };
  }

  query(sql: string): Promise<ResultRow[]> {
    return queryRows(this.first(), sql);
  }

  async checkpoint(): Promise<void> {
    await this.first().query('CHECKPOINT');
  }

  async diskBytes(): Promise<number> {
    return this.server === null ? 0 : diskUsageBytes(this.server.dataDir);
  }

  async close(): Promise<void> {
    await endClients(this.clients);
    this.clients = [];
    if (this.server !== null) {
      await this.server.stop();
      removeDir(this.server.dataDir);
      this.server = null;
    }
  }
}
