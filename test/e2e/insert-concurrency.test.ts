/**
 * Single-row INSERTs from 50 real `pg` connections at once (simple and prepared), against a server
 * run in-process so the WAL's group-commit counters can be read: every acknowledged row is visible
 * to another connection at once and counted exactly once, and concurrent statements share fsyncs.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../storage/database.js';
import { PgServer } from '../../src/server/server.js';
import { SqlEngine } from '../../src/sql/engine.js';
import { removeDir, tempDataDir } from '../support/server.js';

const writers = 50;
const insertsPerWriter = 12;

describe('concurrent single-row INSERTs', () => {
  let dataDir: string;
  let database: Database;
  let server: PgServer;
  let config: { host: string; port: number; user: string; database: string };

  beforeAll(async () => {
    dataDir = tempDataDir();
    database = await Database.open(dataDir);
    server = new PgServer({ host: '127.0.0.1', port: 0, engine: new SqlEngine(database), log: () => undefined });
    const address = await server.listen();
    config = { host: address.host, port: address.port, user: 'eventide', database: 'eventide' };
  });

  afterAll(async () => {
    await server.close();
    await database.close();
    removeDir(dataDir);
  });

  async function withClient<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client(config);
    await client.connect();
    try {
      return await run(client);
    } finally {
      await client.end();
    }
  }

  it('50 connections: each acknowledged row is visible to another connection, all counted once, fsyncs shared', async () => {
    await withClient((c) => c.query('CREATE TABLE hits (writer int NOT NULL, n int NOT NULL, note text, at timestamptz)'));
    const before = { ...database.walStats };
    const connect = async () => {
      const client = new pg.Client(config);
      await client.connect();
      return client;
    };
    const pairs = await Promise.all(Array.from({ length: writers }, async () => ({ writer: await connect(), reader: await connect() })));
    try {
      await Promise.all(
        pairs.map(async ({ writer, reader }, w) => {
          for (let n = 0; n < insertsPerWriter; n++) {
            if (n % 2 === 0) {
              await writer.query(`INSERT INTO hits VALUES (${w}, ${n}, 'simple ''${w}''', '2024-06-01 12:00:00+00')`);
            } else {
              await writer.query({ name: 'hit', text: 'INSERT INTO hits (writer, n, note, at) VALUES ($1, $2, $3, $4)', values: [w, n, `prepared ${w}`, '2024-06-01T12:00:00Z'] });
            }
            const seen = await reader.query('SELECT count(*)::int AS c FROM hits WHERE writer = $1', [w]);
            expect(seen.rows[0].c).toBe(n + 1);
          }
        }),
      );
    } finally {
      await Promise.all(pairs.flatMap(({ writer, reader }) => [writer.end(), reader.end()]));
    }
    const statements = writers * insertsPerWriter;
    const counts = await withClient((c) => c.query('SELECT count(*)::int AS rows, count(DISTINCT writer * 1000 + n)::int AS distinct_rows, count(note)::int AS notes FROM hits'));
    expect(counts.rows[0]).toEqual({ rows: statements, distinct_rows: statements, notes: statements });
    const records = database.walStats.records - before.records;
    const groups = database.walStats.groups - before.groups;
    expect(records).toBe(statements);
    // Group commit: concurrent statements wait for one shared write + fdatasync.
    expect(groups).toBeLessThan(records);
  });

  it('a table dropped and created again with other columns takes literal INSERTs of its new shape', async () => {
    await withClient(async (c) => {
      await c.query('CREATE TABLE shape (a int)');
      await c.query('INSERT INTO shape VALUES (1), (2)');
      await c.query('DROP TABLE shape');
      await c.query('CREATE TABLE shape (a text, b int)');
      await c.query("INSERT INTO shape VALUES ('x', 3), ('y', -4)");
      const rows = await c.query('SELECT a, b FROM shape ORDER BY b');
      expect(rows.rows).toEqual([
        { a: 'y', b: -4 },
        { a: 'x', b: 3 },
      ]);
    });
  });
});
